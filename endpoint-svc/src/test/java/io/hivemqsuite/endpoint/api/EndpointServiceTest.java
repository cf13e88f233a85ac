package io.hivemqsuite.endpoint.api;

import io.hivemqsuite.protocol.message.NodeState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import org.awaitility.Awaitility;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole service, fed by real HTTP neighbours ({@link FakeSuite}), checked over its REST API, DNS and VIP. */
@QuarkusTest
@QuarkusTestResource(value = FakeSuite.class, restrictToAnnotatedClass = true)
class EndpointServiceTest {

    @BeforeEach
    void allNodesHealthy() throws Exception {
        for (int node = 0; node < 3; node++) {
            FakeSuite.STATES.put(node, NodeState.HEALTHY);
        }
        await(() -> authorized().get("/v1/endpoints/mqtt").jsonPath().getList("address").size() == 3);
        await(() -> authorized().get("/v1/vip").jsonPath().getList("listeners[0].nodes.inRotation")
                .equals(List.of(true, true, true)));
    }

    @AfterEach
    void undrain() {
        authorized().post("/v1/vip/undrain/hivemq-0");
    }

    @Test
    void everythingButHealthNeedsTheToken() {
        given().get("/q/health").then().statusCode(200);
        given().get("/v1/endpoints").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").get("/v1/endpoints").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        authorized().get("/q/metrics").then().statusCode(200).body(containsString("hivemq_suite_vip_connections"));
        authorized().get("/q/openapi").then().statusCode(200).body(containsString("/v1/endpoints"));
    }

    @Test
    void listsEnabledEndpointsInTheDcosShape() {
        authorized().get("/v1/endpoints").then().statusCode(200).body("$", contains("mqtt"));
        int port = FakeSuite.mqttPort;
        authorized().get("/v1/endpoints/mqtt").then().statusCode(200)
                .body("address", contains("127.0.89.1:" + port, "127.0.89.2:" + port, "127.0.89.3:" + port))
                .body("dns[0]", equalTo("hivemq-0-node.hivemq.autoip.dcos.thisdcos.directory:" + port))
                .body("vip", equalTo("mqtt.hivemq.l4lb.thisdcos.directory:" + port));
        authorized().get("/v1/endpoints/websocket").then().statusCode(404)
                .body("message", containsString("websocket"));
    }

    @Test
    void recordsFollowNodesComingAndGoing() throws Exception {
        assertEquals(Rcode.NOERROR, dns("_mqtt._hivemq-2._tcp.hivemq.mesos.", Type.SRV).getRcode());
        FakeSuite.STATES.remove(2);
        await(() -> authorized().get("/v1/endpoints/mqtt").jsonPath().getList("address").size() == 2);
        await(() -> dns("_mqtt._hivemq-2._tcp.hivemq.mesos.", Type.SRV).getRcode() == Rcode.NXDOMAIN);

        FakeSuite.STATES.put(2, NodeState.HEALTHY);
        await(() -> dns("_mqtt._hivemq-2._tcp.hivemq.mesos.", Type.SRV).getRcode() == Rcode.NOERROR);
        SRVRecord srv = (SRVRecord) dns("_mqtt._hivemq-2._tcp.hivemq.mesos.", Type.SRV)
                .getSection(Section.ANSWER).get(0);
        assertEquals("hivemq-2-node.hivemq.mesos.", srv.getTarget().toString());
        assertEquals(FakeSuite.mqttPort, srv.getPort());
        assertTrue(Files.readString(FakeSuite.home.resolve("dns/hivemq.json")).contains("\"ownerPid\""));
    }

    @Test
    void vipForwardsAndDrainKeepsEstablishedConnections() throws Exception {
        // Only node 0 has a listener; nodes 1 and 2 are HEALTHY but refuse, so the VIP falls over to node 0.
        try (Socket established = vipConnection()) {
            BufferedReader in = reader(established);
            assertEquals("node-0", in.readLine());
            await(() -> authorized().get("/v1/vip").jsonPath().getInt("listeners[0].nodes[0].connections") == 1);
            // what metrics-svc re-exports: per node (a node without connections at 0) and the connections taken in
            authorized().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200)
                    .body(matchesPattern("(?s).*\nhivemq_suite_vip_connections\\{listener=\"mqtt\",node=\"hivemq-0\",?} 1\\.0\n.*"))
                    .body(matchesPattern("(?s).*\nhivemq_suite_vip_connections\\{listener=\"mqtt\",node=\"hivemq-1\",?} 0\\.0\n.*"))
                    .body(matchesPattern("(?s).*\nhivemq_suite_vip_connections_accepted_total\\{listener=\"mqtt\",?} "
                            + "[1-9][0-9]*\\.0\n.*"));
            authorized().get("/v1/vip").then().statusCode(200)
                    .body("listeners[0].name", equalTo("mqtt"))
                    .body("listeners[0].address", equalTo(FakeSuite.VIP_HOST + ":" + FakeSuite.mqttPort))
                    .body("listeners[0].nodes[0].inRotation", equalTo(true));

            authorized().post("/v1/vip/drain/hivemq-0").then().statusCode(200)
                    .body("drained", equalTo(true)).body("inRotation", equalTo(false));
            try (Socket refused = vipConnection()) {
                assertNull(reader(refused).readLine(), "no node left in rotation: new connection closed");
            }
            established.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(new String(CONNECT, StandardCharsets.UTF_8) + "still here", in.readLine(),
                    "established connection untouched by the drain (the echo starts with the client's CONNECT)");

            authorized().post("/v1/vip/undrain/hivemq-0").then().statusCode(200).body("inRotation", equalTo(true));
            try (Socket again = vipConnection()) {
                assertEquals("node-0", reader(again).readLine());
            }
        }
        authorized().post("/v1/vip/drain/hivemq-7").then().statusCode(404).body("message", containsString("hivemq-7"));
    }

    @Test
    void anUnhealthyNodeLeavesRotation() throws Exception {
        FakeSuite.STATES.put(0, NodeState.UNHEALTHY);
        await(() -> !authorized().get("/v1/vip").jsonPath().getBoolean("listeners[0].nodes[0].inRotation"));
        try (Socket refused = vipConnection()) {
            assertNull(reader(refused).readLine());
        }
    }

    /** MQTT 3.1.1 CONNECT with an empty client id: the VIP reads it, then picks a node round robin. */
    private static final byte[] CONNECT = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00};

    private static Socket vipConnection() throws Exception {
        Socket socket = new Socket(FakeSuite.VIP_HOST, FakeSuite.mqttPort);
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(CONNECT);
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static Message dns(String name, int type) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(FakeSuite.DNS_HOST));
        resolver.setPort(FakeSuite.dnsPort);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + FakeSuite.TOKEN);
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(condition);
    }
}
