package io.hivemqsuite.protocol.brokerconfig;

import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the spec into the broker's {@code conf/config.xml} and {@code conf/logback.xml}: the listeners, and what
 * Community Edition can do of the DC/OS package's options ({@code hivemq.restrictions}, {@code mqtt.limits},
 * {@code mqtt.security}); or, when {@code advanced.configuration_override} holds a template, that template filled
 * with the same values. Shared by the node agent, which writes the result, and by install and update, which render
 * it once for the first node and validate it against config.xsd before anything is written.
 */
public final class BrokerConfigRenderer {
    /** Levels at which logback would swallow the line we wait for to know the broker started. */
    private static final Set<String> QUIET_LEVELS = Set.of("WARN", "ERROR", "OFF");
    /** The largest session expiry the CE broker takes; the package's 4294967296 ("never") is written as this. */
    static final long MAX_SESSION_EXPIRY = 4_294_967_295L;

    private BrokerConfigRenderer() {
    }

    /**
     * @param xml       the config.xml text
     * @param listeners the listeners it opens (the ones the agent then probes)
     * @param omitted   enabled listeners it leaves out (TLS: keystores are not provisioned yet)
     */
    public record RenderedConfig(String xml, List<ListenerEndpoint> listeners, List<ListenerEndpoint> omitted) {
    }

    /**
     * What a template may know of the node it renders for.
     *
     * @param keystorePath     the node's keystore when TLS is on, else null
     * @param keystorePassword its password, else null
     */
    public record NodeValues(String bindAddress, Path nodeDir, Path keystorePath, String keystorePassword) {
        public NodeValues(String bindAddress) {
            this(bindAddress, Path.of("."), null, null);
        }
    }

    public static RenderedConfig renderConfig(ServiceOptions options, String bindAddress) {
        return renderConfig(options, new NodeValues(bindAddress));
    }

    /**
     * @throws IllegalArgumentException when the override template cannot be rendered (the reason, for
     *                                  {@link ConfigTemplate#FIELD})
     */
    public static RenderedConfig renderConfig(ServiceOptions options, NodeValues node) {
        Optional<ConfigTemplate> override = ConfigTemplate.of(options.advanced().configurationOverride());
        if (override.isPresent()) {
            String xml = override.get().render(templateValues(options, node));
            // Every node of local mode shares one machine: a listener on 0.0.0.0 would take the port of all of them.
            xml = xml.replace("<bind-address>0.0.0.0</bind-address>",
                    "<bind-address>" + escape(node.bindAddress()) + "</bind-address>");
            return new RenderedConfig(xml, options.enabledListeners(), List.of());
        }
        return renderBuiltIn(options, node.bindAddress());
    }

    private static RenderedConfig renderBuiltIn(ServiceOptions options, String bindAddress) {
        List<ListenerEndpoint> rendered = new ArrayList<>();
        List<ListenerEndpoint> omitted = new ArrayList<>();
        StringBuilder xml = new StringBuilder();
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<!-- Rendered by the hivemq-suite node agent from the service spec; edits are overwritten. -->\n");
        xml.append("<hivemq>\n");
        xml.append("    <listeners>\n");
        for (ListenerEndpoint endpoint : options.enabledListeners()) {
            if (endpoint.listener().tls()) {
                omitted.add(endpoint);
                continue;
            }
            rendered.add(endpoint);
            String element = endpoint.listener().websocket() ? "websocket-listener" : "tcp-listener";
            openListener(xml, element, endpoint, bindAddress, options.hivemq().listeners().websocketPath());
            xml.append("        </").append(element).append(">\n");
        }
        xml.append("    </listeners>\n");
        appendMqtt(xml, options.mqtt().limits());
        appendRestrictions(xml, options.hivemq().restrictions());
        appendSecurity(xml, options.mqtt().security());
        xml.append("    <anonymous-usage-statistics>\n");
        xml.append("        <enabled>false</enabled>\n");
        xml.append("    </anonymous-usage-statistics>\n");
        xml.append("</hivemq>\n");
        return new RenderedConfig(xml.toString(), List.copyOf(rendered), List.copyOf(omitted));
    }

    private static void appendMqtt(StringBuilder xml, ServiceOptions.Limits l) {
        xml.append("    <mqtt>\n");
        section(xml, "queued-messages", "max-queue-size", l.queuedMessageMaxQueueSize(), "strategy",
                brokerStrategy(l.queuedMessageStrategy()));
        // the suite's control topics keep status as retained messages: the extension drops outside clients' retain
        // flags instead (ClientLimits)
        section(xml, "retained-messages", "enabled", true);
        section(xml, "wildcard-subscriptions", "enabled", l.wildcardSubscriptionEnabled());
        section(xml, "quality-of-service", "max-qos", l.maxQos());
        section(xml, "topic-alias", "enabled", l.topicAliasEnabled(), "max-per-client", l.topicAliasMaxPerClient());
        section(xml, "session-expiry", "max-interval", sessionExpiry(l.sessionExpiryInterval()));
        section(xml, "subscription-identifier", "enabled", l.subscriptionIdentifierEnabled());
        section(xml, "shared-subscriptions", "enabled", l.sharedSubscriptionEnabled());
        section(xml, "keep-alive", "max-keep-alive", l.keepaliveMax(), "allow-unlimited", l.keepaliveAllowUnlimited());
        section(xml, "packets", "max-packet-size", l.maxPacketSize());
        section(xml, "receive-maximum", "server-receive-maximum", l.serverReceiveMaximum());
        xml.append("    </mqtt>\n");
    }

    private static void appendRestrictions(StringBuilder xml, ServiceOptions.Restrictions r) {
        xml.append("    <restrictions>\n");
        element(xml, "        ", "max-connections", r.maxConnections());
        // the suite's own clients have long identifiers: the extension refuses outside ones over the limit (ClientLimits)
        element(xml, "        ", "max-client-id-length", 65535);
        element(xml, "        ", "max-topic-length", r.maxTopicLength());
        element(xml, "        ", "no-connect-idle-timeout", r.noConnectIdleTimeout());
        element(xml, "        ", "incoming-bandwidth-throttling", r.incomingBandwidthThrottling());
        xml.append("    </restrictions>\n");
    }

    private static void appendSecurity(StringBuilder xml, ServiceOptions.Security s) {
        xml.append("    <security>\n");
        section(xml, "payload-format-validation", "enabled", s.payloadFormatValidation());
        section(xml, "utf8-validation", "enabled", s.topicFormatValidation());
        section(xml, "allow-empty-client-id", "enabled", s.allowEmptyClientId());
        section(xml, "allow-request-problem-information", "enabled", s.allowRequestProblemInformation());
        xml.append("    </security>\n");
    }

    /** {@code <name><k1>v1</k1>...</name>} at the second level. */
    private static void section(StringBuilder xml, String name, Object... pairs) {
        xml.append("        <").append(name).append(">\n");
        for (int i = 0; i < pairs.length; i += 2) {
            element(xml, "            ", (String) pairs[i], pairs[i + 1]);
        }
        xml.append("        </").append(name).append(">\n");
    }

    private static void element(StringBuilder xml, String indent, String name, Object value) {
        xml.append(indent).append('<').append(name).append('>').append(escape(String.valueOf(value)))
                .append("</").append(name).append(">\n");
    }

    /** The package spells the strategy {@code discard_oldest}; the broker {@code discard-oldest}. */
    static String brokerStrategy(String strategy) {
        return strategy.replace('_', '-');
    }

    static long sessionExpiry(long seconds) {
        return Math.min(seconds, MAX_SESSION_EXPIRY);
    }

    /**
     * The values of a configuration override's placeholders: the names the DC/OS package's template uses, with
     * this spec's values, plus {@code HIVEMQ_BIND_ADDRESS} and the TLS keystore of the node.
     */
    public static Map<String, Object> templateValues(ServiceOptions options, NodeValues node) {
        ServiceOptions.Hivemq h = options.hivemq();
        ServiceOptions.ListenerConfiguration l = h.listeners();
        ServiceOptions.Restrictions r = h.restrictions();
        ServiceOptions.Limits m = options.mqtt().limits();
        ServiceOptions.Security s = options.mqtt().security();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("MESOS_SANDBOX", node.nodeDir().toAbsolutePath().normalize().toString());
        v.put("MESOS_CONTAINER_IP", node.bindAddress());
        v.put("HIVEMQ_BIND_ADDRESS", node.bindAddress());
        if (node.keystorePath() != null) {
            v.put("HIVEMQ_KEYSTORE_PATH", node.keystorePath().toString());
            v.put("HIVEMQ_KEYSTORE_PASSWORD", node.keystorePassword());
        }
        v.put("HIVEMQ_MQTT_PORT", options.enabledListeners().get(0).port());
        v.put("HIVEMQ_TLS_LISTENER_ENABLED", l.mqttTlsEnabled());
        v.put("HIVEMQ_TLS_MQTT_PORT", l.mqttTlsPort() == 0 ? 8883 : l.mqttTlsPort());
        v.put("HIVEMQ_WEBSOCKET_ENABLED", l.websocketEnabled());
        v.put("HIVEMQ_WEBSOCKET_PORT", l.websocketPort() == 0 ? 8000 : l.websocketPort());
        v.put("HIVEMQ_WEBSOCKET_PATH", l.websocketPath());
        v.put("HIVEMQ_TLS_WS_PORT", l.websocketTlsPort() == 0 ? 8001 : l.websocketTlsPort());
        v.put("HIVEMQ_WS_PATH", l.websocketPath());
        v.put("HIVEMQ_NATIVE_TLS_ENABLED", h.nativeTlsEnabled());
        v.put("HIVEMQ_CONTROL_CENTER_ENABLED", h.controlCenterEnabled());
        v.put("HIVEMQ_CONTROL_CENTER_PORT", l.controlCenterTlsPort() == 0 ? 8080 : l.controlCenterTlsPort());
        v.put("HIVEMQ_CONTROL_CENTER_USER", h.controlCenterUser());
        v.put("HIVEMQ_CONTROL_CENTER_PASSWORD", h.controlCenterPassword());
        v.put("HIVEMQ_CLUSTER_PORT", 7800);
        v.put("HIVEMQ_CLUSTER_TLS_ENABLED", h.clusterTlsEnabled());
        v.put("HIVEMQ_DISCOVERY_INTERVAL", h.discoveryInterval());
        v.put("HIVEMQ_CLUSTER_REPLICA_COUNT", h.clusterReplicaCount());
        v.put("HIVEMQ_CLUSTER_OVERLOAD_PROTECTION", h.clusterOverloadProtection());
        // as in the rendered config: the extension applies these two to outside clients (ClientLimits)
        v.put("HIVEMQ_MAX_CLIENT_ID_LENGTH", 65535);
        v.put("HIVEMQ_MAX_TOPIC_LENGTH", r.maxTopicLength());
        v.put("HIVEMQ_MAX_CONNECTIONS", r.maxConnections());
        v.put("HIVEMQ_INCOMING_BANDWIDTH_THROTTLING", r.incomingBandwidthThrottling());
        v.put("HIVEMQ_NO_CONNECT_IDLE_TIMEOUT", r.noConnectIdleTimeout());
        v.put("HIVEMQ_SESSION_EXPIRY_INTERVAL", sessionExpiry(m.sessionExpiryInterval()));
        v.put("HIVEMQ_MAX_PACKET_SIZE", m.maxPacketSize());
        v.put("HIVEMQ_SERVER_RECEIVE_MAXIMUM", m.serverReceiveMaximum());
        v.put("HIVEMQ_KEEPALIVE_MAX", m.keepaliveMax());
        v.put("HIVEMQ_KEEPALIVE_ALLOW_UNLIMITED", m.keepaliveAllowUnlimited());
        v.put("HIVEMQ_TOPIC_ALIAS_ENABLED", m.topicAliasEnabled());
        v.put("HIVEMQ_TOPIC_ALIAS_MAX_PER_CLIENT", m.topicAliasMaxPerClient());
        v.put("HIVEMQ_SUBSCRIPTION_IDENTIFIER_ENABLED", m.subscriptionIdentifierEnabled());
        v.put("HIVEMQ_WILDCARD_SUBSCRIPTION_ENABLED", m.wildcardSubscriptionEnabled());
        v.put("HIVEMQ_SHARED_SUBSCRIPTION_ENABLED", m.sharedSubscriptionEnabled());
        v.put("HIVEMQ_RETAINED_MESSAGES_ENABLED", true);
        v.put("HIVEMQ_MAX_QOS", m.maxQos());
        v.put("HIVEMQ_QUEUED_MESSAGE_MAX_QUEUE_SIZE", m.queuedMessageMaxQueueSize());
        v.put("HIVEMQ_QUEUED_MESSAGE_STRATEGY", brokerStrategy(m.queuedMessageStrategy()));
        v.put("HIVEMQ_ALLOW_EMPTY_CLIENT_ID", s.allowEmptyClientId());
        v.put("HIVEMQ_PAYLOAD_FORMAT_VALIDATION", s.payloadFormatValidation());
        v.put("HIVEMQ_TOPIC_FORMAT_VALIDATION", s.topicFormatValidation());
        v.put("HIVEMQ_ALLOW_REQUEST_PROBLEM_INFORMATION", s.allowRequestProblemInformation());
        return v;
    }

    public static String renderLogback(String level, Path brokerLog) {
        String file = escape(brokerLog.toAbsolutePath().toString());
        String startedLogger = QUIET_LEVELS.contains(level)
                // the agent reads "Started HiveMQ in" from the log to know the broker is up
                ? "    <logger name=\"com.hivemq.HiveMQServer\" level=\"INFO\"/>\n"
                : "";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Rendered by the hivemq-suite node agent (hivemq.hivemq_log_level); edits are overwritten. -->
                <configuration scan="false">
                    <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder>
                            <pattern>%%-30(%%d %%level)- %%msg%%n%%ex</pattern>
                        </encoder>
                    </appender>
                    <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
                        <file>%1$s</file>
                        <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
                            <fileNamePattern>%1$s.%%i</fileNamePattern>
                            <minIndex>1</minIndex>
                            <maxIndex>3</maxIndex>
                        </rollingPolicy>
                        <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
                            <maxFileSize>10MB</maxFileSize>
                        </triggeringPolicy>
                        <encoder>
                            <pattern>%%-30(%%d %%level)- %%msg%%n%%ex</pattern>
                        </encoder>
                    </appender>
                    <root level="%2$s">
                        <appender-ref ref="CONSOLE"/>
                        <appender-ref ref="FILE"/>
                    </root>
                %3$s    <logger name="jetbrains.exodus" level="WARN"/>
                    <logger name="org.eclipse.jetty" level="ERROR"/>
                    <logger name="com.google.common.util.concurrent.Futures.CombinedFuture" level="OFF"/>
                    <logger name="oshi" level="ERROR"/>
                </configuration>
                """.formatted(file, level, startedLogger);
    }

    /**
     * Opens a listener element with what every listener has (port, bind address, name, and the path of a WebSocket
     * one); the caller adds the rest (TLS) and closes it.
     */
    public static void openListener(StringBuilder xml, String element, ListenerEndpoint endpoint, String bindAddress,
                                    String websocketPath) {
        xml.append("        <").append(element).append(">\n");
        xml.append("            <port>").append(endpoint.port()).append("</port>\n");
        xml.append("            <bind-address>").append(escape(bindAddress)).append("</bind-address>\n");
        xml.append("            <name>").append(endpoint.listener().endpointName()).append("</name>\n");
        if (endpoint.listener().websocket()) {
            xml.append("            <path>").append(escape(websocketPath)).append("</path>\n");
        }
    }

    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
