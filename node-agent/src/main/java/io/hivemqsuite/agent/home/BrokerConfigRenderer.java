package io.hivemqsuite.agent.home;

import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns the spec into the broker's {@code conf/config.xml} and {@code conf/logback.xml}. */
public final class BrokerConfigRenderer {
    /** Levels at which logback would swallow the line we wait for to know the broker started. */
    private static final Set<String> QUIET_LEVELS = Set.of("WARN", "ERROR", "OFF");

    private BrokerConfigRenderer() {
    }

    /**
     * @param xml       the config.xml text
     * @param listeners the listeners it opens (the ones the agent then probes)
     * @param omitted   enabled listeners it leaves out (TLS: keystores are not provisioned yet)
     */
    public record RenderedConfig(String xml, List<ListenerEndpoint> listeners, List<ListenerEndpoint> omitted) {
    }

    public static RenderedConfig renderConfig(ServiceOptions options, String bindAddress) {
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
            xml.append("        <").append(element).append(">\n");
            xml.append("            <port>").append(endpoint.port()).append("</port>\n");
            xml.append("            <bind-address>").append(escape(bindAddress)).append("</bind-address>\n");
            xml.append("            <name>").append(endpoint.listener().endpointName()).append("</name>\n");
            if (endpoint.listener().websocket()) {
                xml.append("            <path>/mqtt</path>\n");
            }
            xml.append("        </").append(element).append(">\n");
        }
        xml.append("    </listeners>\n");
        xml.append("    <anonymous-usage-statistics>\n");
        xml.append("        <enabled>false</enabled>\n");
        xml.append("    </anonymous-usage-statistics>\n");
        xml.append("</hivemq>\n");
        return new RenderedConfig(xml.toString(), List.copyOf(rendered), List.copyOf(omitted));
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

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
