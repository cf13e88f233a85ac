package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hivemqsuite.protocol.node.Listener;

import java.util.ArrayList;
import java.util.List;

/**
 * The service spec: install options completed with their defaults. Field names follow the options JSON
 * ({@code deploy/universe/config.json}) exactly, because users script against them. Build one with
 * {@link OptionsReader}, never by hand from user input.
 */
public record ServiceOptions(Service service, Node node, Hivemq hivemq) {

    public record Service(
            String name,
            @JsonProperty("service_account") String serviceAccount,
            @JsonProperty("service_account_secret") String serviceAccountSecret,
            String mode,
            @JsonProperty("mesos_master") String mesosMaster,
            @JsonProperty("log_level") String logLevel,
            Tls tls) {

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

    /** Whether any TLS listener is enabled, i.e. whether the nodes need certificates. */
    @JsonIgnore
    public boolean tlsEnabled() {
        return enabledListeners().stream().anyMatch(l -> l.listener().tls());
    }

    public record Node(int count, double cpus, int mem, int heap, int disk) {
    }

    public record Hivemq(
            @JsonProperty("hivemq_log_level") String logLevel,
            @JsonProperty("metrics_enabled") boolean metricsEnabled,
            @JsonProperty("metrics_interval") int metricsInterval,
            @JsonProperty("listener_configuration") ListenerConfiguration listeners,
            Routing routing) {
    }

    /** How the broker extension joins unclustered brokers into one logical cluster (see broker-extension README). */
    public record Routing(
            boolean enabled,
            @JsonProperty("subscription_digest") boolean subscriptionDigest,
            @JsonProperty("peer_queue_max_messages") int peerQueueMaxMessages,
            @JsonProperty("peer_queue_max_bytes") long peerQueueMaxBytes) {
    }

    public record ListenerConfiguration(
            @JsonProperty("mqtt_port") int mqttPort,
            @JsonProperty("mqtt_tls_enabled") boolean mqttTlsEnabled,
            @JsonProperty("mqtt_tls_port") int mqttTlsPort,
            @JsonProperty("mqtt_tls_vip_port") int mqttTlsVipPort,
            @JsonProperty("websocket_enabled") boolean websocketEnabled,
            @JsonProperty("websocket_port") int websocketPort,
            @JsonProperty("websocket_vip_port") int websocketVipPort,
            @JsonProperty("websocket_tls_enabled") boolean websocketTlsEnabled,
            @JsonProperty("websocket_tls_port") int websocketTlsPort,
            @JsonProperty("websocket_tls_vip_port") int websocketTlsVipPort,
            @JsonProperty("control_center_port") int controlCenterPort) {
    }

    /** One enabled listener of every broker: its kind, the port on each node, the port of its VIP. */
    public record ListenerEndpoint(Listener listener, int port, int vipPort) {
    }

    /** The listeners every broker of this spec opens, MQTT first. */
    @JsonIgnore
    public List<ListenerEndpoint> enabledListeners() {
        ListenerConfiguration l = hivemq.listeners();
        List<ListenerEndpoint> result = new ArrayList<>();
        // The default listener's VIP port is the listener port: the user guide promises it cannot be changed.
        result.add(new ListenerEndpoint(Listener.MQTT, l.mqttPort(), l.mqttPort()));
        if (l.mqttTlsEnabled()) {
            result.add(new ListenerEndpoint(Listener.MQTT_TLS, l.mqttTlsPort(), l.mqttTlsVipPort()));
        }
        if (l.websocketEnabled()) {
            result.add(new ListenerEndpoint(Listener.WEBSOCKET, l.websocketPort(), l.websocketVipPort()));
        }
        if (l.websocketTlsEnabled()) {
            result.add(new ListenerEndpoint(Listener.WEBSOCKET_TLS, l.websocketTlsPort(), l.websocketTlsVipPort()));
        }
        return result;
    }
}
