package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hivemqsuite.protocol.node.Listener;

import java.util.ArrayList;
import java.util.List;

/**
 * The service spec: install options completed with their defaults. Field names follow the options JSON
 * ({@code deploy/universe/config.json}) exactly, because users script against them. Build one with
 * {@link OptionsReader}, never by hand from user input.
 */
public record ServiceOptions(Service service, Node node, Hivemq hivemq, Mqtt mqtt, Advanced advanced) {

    /** {@code user}, {@code virtual_network_*} and {@code sleep} are the DC/OS package's; accepted, no effect here. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Service(
            String name,
            String user,
            String serviceAccount,
            String serviceAccountSecret,
            boolean virtualNetworkEnabled,
            String virtualNetworkName,
            String virtualNetworkPluginLabels,
            String mode,
            String mesosMaster,
            boolean localNetworkNamespaces,
            String logLevel,
            double sleep,
            Tls tls,
            Recovery recovery) {

        /**
         * The name as DNS labels use it: a foldered name such as {@code /dev/hivemq} loses its separators
         * ({@code devhivemq}), as DC/OS does.
         */
        @JsonIgnore
        public String dnsName() {
            return name.replace("/", "");
        }

        /** Whether the nodes run as tasks of a Mesos framework rather than as processes on this machine. */
        @JsonIgnore
        public boolean mesos() {
            return "mesos".equals(mode);
        }

        /** The name without a leading slash, safe as one folder or ZooKeeper node name. */
        @JsonIgnore
        public String pathName() {
            return dnsName();
        }
    }

    /**
     * Node certificates of the TLS listeners: issued by an external CA when both paths are given, else by the
     * service's own CA (kept in its state store).
     */
    public record Tls(
            @JsonProperty("ca_certificate_path") String caCertificatePath,
            @JsonProperty("ca_key_path") String caKeyPath,
            @JsonProperty("certificate_validity_hours") int certificateValidityHours) {

        @JsonIgnore
        public boolean externalCa() {
            return caCertificatePath != null && !caCertificatePath.isBlank();
        }
    }

    /**
     * {@code service.recovery}: a node unreachable for longer than {@code gracePeriodSecs} is reported in the
     * {@code recovery} plan, and replaced (fresh folder, as {@code pod replace}) only when {@code autoReplaceEnabled}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recovery(int gracePeriodSecs, boolean autoReplaceEnabled) {
    }

    /** Whether any TLS listener is enabled, i.e. whether the nodes need certificates. */
    @JsonIgnore
    public boolean tlsEnabled() {
        return enabledListeners().stream().anyMatch(l -> l.listener().tls());
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Node(int count, String placementConstraint, double cpus, int mem, int heap, int disk,
                       String diskType, Rlimits rlimits, String customDomain) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Rlimits(RlimitNofile rlimitNofile) {
    }

    public record RlimitNofile(long soft, long hard) {
    }

    /**
     * The broker's options; {@code version} is the Community Edition release the brokers run
     * ({@link io.hivemqsuite.protocol.options.BrokerVersions}). The Enterprise-only ones (cluster, Control Center, native TLS) are kept so that
     * {@code describe} and updates show them, but nothing renders them: see {@link OptionNotes}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Hivemq(
            @JsonProperty("hivemq_log_level") String logLevel,
            String javaOptions,
            String license,
            boolean clusterTlsEnabled,
            boolean nativeTlsEnabled,
            @JsonProperty("listener_configuration") ListenerConfiguration listeners,
            int clusterReplicaCount,
            boolean clusterOverloadProtection,
            boolean controlCenterEnabled,
            String controlCenterUser,
            String controlCenterPassword,
            boolean metricsEnabled,
            int metricsInterval,
            int discoveryInterval,
            Restrictions restrictions,
            Routing routing,
            String version) {
    }

    /** {@code hivemq.restrictions}: the broker's {@code <restrictions>}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Restrictions(int maxClientIdLength, int maxTopicLength, long maxConnections,
                               long incomingBandwidthThrottling, long noConnectIdleTimeout) {
    }

    public record Mqtt(Limits limits, Security security, Auth auth) {
    }

    /** {@code mqtt.limits}: the broker's {@code <mqtt>}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Limits(long sessionExpiryInterval, long maxPacketSize, int serverReceiveMaximum, int keepaliveMax,
                         boolean keepaliveAllowUnlimited, boolean topicAliasEnabled, int topicAliasMaxPerClient,
                         boolean subscriptionIdentifierEnabled, boolean wildcardSubscriptionEnabled,
                         boolean sharedSubscriptionEnabled, boolean retainedMessagesEnabled, int maxQos,
                         long queuedMessageMaxQueueSize, String queuedMessageStrategy) {
    }

    /** {@code mqtt.security}: the broker's {@code <security>}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Security(boolean allowEmptyClientId, boolean payloadFormatValidation,
                           boolean topicFormatValidation, boolean allowRequestProblemInformation) {
    }

    /**
     * {@code mqtt.auth}: users and roles in the File RBAC extension's formats, both base64. Checked for type and
     * base64 here; carried in the spec to every node agent.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Auth(boolean enableRbac, String rbacConfig, String rbacExtensionConfig) {
    }

    /** {@code advanced.configuration_override}: a base64 config.xml template; empty when the rendered one is used. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Advanced(String configurationOverride) {
    }

    /** How the broker extension joins unclustered brokers into one logical cluster (see broker-extension README). */
    public record Routing(
            boolean enabled,
            @JsonProperty("subscription_digest") boolean subscriptionDigest,
            @JsonProperty("peer_queue_max_messages") int peerQueueMaxMessages,
            @JsonProperty("peer_queue_max_bytes") long peerQueueMaxBytes) {
    }

    /**
     * A listener port of 0 means "the service picks": the package chose a random port, here each node has its own
     * address, so the listener's standard port is free and is used ({@link #enabledListeners()}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ListenerConfiguration(
            int mqttPort,
            boolean websocketEnabled,
            String websocketPath,
            int websocketPort,
            boolean websocketPortVipEnabled,
            int websocketPortVip,
            boolean mqttTlsEnabled,
            int mqttTlsPort,
            boolean mqttTlsPortVipEnabled,
            int mqttTlsPortVip,
            boolean websocketTlsEnabled,
            int websocketTlsPort,
            boolean websocketTlsPortVipEnabled,
            int websocketTlsPortVip,
            boolean controlCenterTlsEnabled,
            int controlCenterTlsPort) {
    }

    /**
     * One enabled listener of every broker: its kind, the port on each node, whether it has a VIP and the VIP's port.
     */
    public record ListenerEndpoint(Listener listener, int port, boolean vip, int vipPort) {
        public ListenerEndpoint(Listener listener, int port, int vipPort) {
            this(listener, port, true, vipPort);
        }
    }

    /** The listeners every broker of this spec opens, MQTT first. */
    @JsonIgnore
    public List<ListenerEndpoint> enabledListeners() {
        ListenerConfiguration l = hivemq.listeners();
        List<ListenerEndpoint> result = new ArrayList<>();
        // The default listener's VIP port is the listener port: the user guide promises it cannot be changed.
        int mqtt = port(l.mqttPort(), 1883);
        result.add(new ListenerEndpoint(Listener.MQTT, mqtt, true, mqtt));
        if (l.mqttTlsEnabled()) {
            result.add(new ListenerEndpoint(Listener.MQTT_TLS, port(l.mqttTlsPort(), 8883), l.mqttTlsPortVipEnabled(),
                    l.mqttTlsPortVip()));
        }
        if (l.websocketEnabled()) {
            result.add(new ListenerEndpoint(Listener.WEBSOCKET, port(l.websocketPort(), 8000),
                    l.websocketPortVipEnabled(), l.websocketPortVip()));
        }
        if (l.websocketTlsEnabled()) {
            result.add(new ListenerEndpoint(Listener.WEBSOCKET_TLS, port(l.websocketTlsPort(), 8001),
                    l.websocketTlsPortVipEnabled(), l.websocketTlsPortVip()));
        }
        return result;
    }

    /** The enabled listeners that have a VIP. */
    @JsonIgnore
    public List<ListenerEndpoint> vipListeners() {
        return enabledListeners().stream().filter(ListenerEndpoint::vip).toList();
    }

    private static int port(int configured, int standard) {
        return configured == 0 ? standard : configured;
    }
}
