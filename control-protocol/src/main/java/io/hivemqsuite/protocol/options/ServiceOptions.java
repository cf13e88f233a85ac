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
            @JsonProperty("log_level") String logLevel) {

        /**
         * The name as DNS labels use it: a foldered name such as {@code /dev/hivemq} loses its separators
         * ({@code devhivemq}), as DC/OS does.
         */
        @JsonIgnore
        public String dnsName() {
            return name.replace("/", "");
        }

        /** The name without a leading slash, safe as one folder or ZooKeeper node name. */
        @JsonIgnore
        public String pathName() {
            return dnsName();
        }
    }

    public record Node(int count, double cpus, int mem, int heap, int disk) {
    }

    public record Hivemq(
            @JsonProperty("hivemq_log_level") String logLevel,
            @JsonProperty("listener_configuration") ListenerConfiguration listeners) {
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
