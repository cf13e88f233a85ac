package io.hivemqsuite.protocol.endpoint;

import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceEndpointsTest {
    private static final List<NodeAddress> THREE = List.of(
            new NodeAddress(2, "127.0.1.3"), new NodeAddress(0, "127.0.1.1"), new NodeAddress(1, "127.0.1.2"));

    @Test
    void defaultServiceHasOnlyMqttWithTheDocumentedShape() {
        ServiceEndpoints endpoints = new ServiceEndpoints(new OptionsReader().read("{}"), THREE);

        assertEquals(List.of("mqtt"), endpoints.names());
        EndpointView mqtt = endpoints.view("mqtt").orElseThrow();
        assertEquals(List.of("127.0.1.1:1883", "127.0.1.2:1883", "127.0.1.3:1883"), mqtt.address());
        assertEquals(List.of("hivemq-0-node.hivemq.autoip.dcos.thisdcos.directory:1883",
                "hivemq-1-node.hivemq.autoip.dcos.thisdcos.directory:1883",
                "hivemq-2-node.hivemq.autoip.dcos.thisdcos.directory:1883"), mqtt.dns());
        assertEquals("mqtt.hivemq.l4lb.thisdcos.directory:1883", mqtt.vip());
        assertTrue(endpoints.view("websocket").isEmpty(), "disabled listener has no endpoint");
        assertTrue(endpoints.view("nope").isEmpty());
    }

    @Test
    void enabledListenersAppearWithTheirVipPorts() {
        ServiceOptions options = new OptionsReader().read("""
                {"hivemq": {"listener_configuration": {"mqtt_tls_enabled": true, "websocket_enabled": true,
                 "websocket_tls_enabled": true}}}""");
        ServiceEndpoints endpoints = new ServiceEndpoints(options, THREE);
        assertEquals(List.of("mqtt", "mqtt-tls", "websocket", "websocket-tls"), endpoints.names());
        ServiceOptions.ListenerEndpoint ws = endpoints.listener("websocket").orElseThrow();
        EndpointView view = endpoints.view("websocket").orElseThrow();
        assertEquals("127.0.1.1:" + ws.port(), view.address().get(0));
        assertEquals("websocket.hivemq.l4lb.thisdcos.directory:" + ws.vipPort(), view.vip());
    }

    @Test
    void folderedServiceDropsItsSeparatorsInEveryName() {
        ServiceOptions options = new OptionsReader().read("{\"service\": {\"name\": \"/dev/hivemq\"}}");
        ServiceEndpoints endpoints = new ServiceEndpoints(options, List.of(new NodeAddress(0, "127.0.3.1")));

        assertEquals("hivemq-0-node.devhivemq.autoip.dcos.thisdcos.directory:1883",
                endpoints.view("mqtt").orElseThrow().dns().get(0));
        assertEquals("_mqtt._devhivemq-0._tcp.devhivemq.mesos.", DnsNames.srv("devhivemq", Listener.MQTT, 0));
        assertEquals("mqtt-tls.devhivemq.l4lb.thisdcos.directory", DnsNames.vip("devhivemq", Listener.MQTT_TLS));

        DnsZone zone = endpoints.zone("127.0.3.250");
        assertEquals("devhivemq", zone.service());
        assertEquals(List.of(new DnsZone.Srv("_mqtt._devhivemq-0._tcp.devhivemq.mesos.",
                "hivemq-0-node.devhivemq.mesos.", 1883)), zone.srv());
        assertEquals(List.of(
                new DnsZone.A("hivemq-0-node.devhivemq.autoip.dcos.thisdcos.directory.", "127.0.3.1"),
                new DnsZone.A("hivemq-0-node.devhivemq.mesos.", "127.0.3.1"),
                new DnsZone.A("mqtt.devhivemq.l4lb.thisdcos.directory.", "127.0.3.250")), zone.a());
    }

    @Test
    void nodesThatDoNotRunHaveNoRecords() {
        ServiceEndpoints endpoints = new ServiceEndpoints(new OptionsReader().read("{}"),
                List.of(new NodeAddress(0, "127.0.1.1"), new NodeAddress(2, "127.0.1.3")));
        DnsZone zone = endpoints.zone("127.0.1.250");
        assertEquals(List.of("_mqtt._hivemq-0._tcp.hivemq.mesos.", "_mqtt._hivemq-2._tcp.hivemq.mesos."),
                zone.srv().stream().map(DnsZone.Srv::name).toList());
        assertEquals(List.of("127.0.1.1:1883", "127.0.1.3:1883"), endpoints.view("mqtt").orElseThrow().address());
    }

    /** websocket_port_vip_enabled=false: the listener keeps its node endpoints but has no VIP, in views nor in DNS. */
    @Test
    void aListenerWithItsVipSwitchedOffHasNoVip() {
        ServiceEndpoints endpoints = new ServiceEndpoints(new OptionsReader().read("""
                {"hivemq": {"listener_configuration": {"websocket_enabled": true,
                 "websocket_port_vip_enabled": false}}}"""), THREE);
        assertEquals(List.of("mqtt", "websocket"), endpoints.names());
        assertEquals(null, endpoints.view("websocket").orElseThrow().vip());
        assertEquals(List.of(Listener.MQTT), endpoints.vipListeners().stream().map(l -> l.listener()).toList());
        assertTrue(endpoints.zone("127.0.1.250").a().stream().noneMatch(a -> a.name().startsWith("websocket.")));
    }
}
