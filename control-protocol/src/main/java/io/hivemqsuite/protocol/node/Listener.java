package io.hivemqsuite.protocol.node;

/**
 * The listener kinds a HiveMQ node can open. The endpoint name is what users see in
 * {@code hivemq endpoints}, SRV records ({@code _mqtt-tls._hivemq-0._tcp.hivemq.mesos.}) and VIP names
 * ({@code mqtt-tls.hivemq.l4lb.thisdcos.directory}).
 */
public enum Listener {
    MQTT("mqtt", "mqtt", false, false),
    MQTT_TLS("mqtt-tls", "mqtt_tls", true, false),
    WEBSOCKET("websocket", "websocket", false, true),
    WEBSOCKET_TLS("websocket-tls", "websocket_tls", true, true);

    private final String endpointName;
    private final String optionPrefix;
    private final boolean tls;
    private final boolean websocket;

    Listener(String endpointName, String optionPrefix, boolean tls, boolean websocket) {
        this.endpointName = endpointName;
        this.optionPrefix = optionPrefix;
        this.tls = tls;
        this.websocket = websocket;
    }

    public String endpointName() {
        return endpointName;
    }

    /** The prefix of this listener's fields in {@code hivemq.listener_configuration}. */
    public String optionPrefix() {
        return optionPrefix;
    }

    public boolean tls() {
        return tls;
    }

    public boolean websocket() {
        return websocket;
    }

    public static Listener byEndpointName(String name) {
        for (Listener listener : values()) {
            if (listener.endpointName.equals(name)) {
                return listener;
            }
        }
        throw new IllegalArgumentException("no listener named '" + name + "'");
    }
}
