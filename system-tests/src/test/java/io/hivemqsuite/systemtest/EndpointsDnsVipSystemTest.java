package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.protocol.endpoint.DnsNames;
import io.hivemqsuite.protocol.node.Listener;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clusters side by side ({@code dnsa} with 2 nodes, {@code dnsb} with 1): their nodes found with the real
 * {@code dig} through the local DNS server, the VIP carrying a real Paho client, a drained node taking no new
 * connections, and the public-access configurations (Edge-LB pool JSON, HAProxy config run by Debian's haproxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointsDnsVipSystemTest {
    private TestCluster cluster;
    private InstalledService a;
    private InstalledService b;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-dns-");
        a = cluster.install("dnsa", "{\"service\": {\"name\": \"dnsa\"}, \"node\": {\"count\": 2, \"mem\": 512, \"heap\": 128}}");
        b = cluster.install("dnsb", "{\"service\": {\"name\": \"dnsb\"}, \"node\": {\"count\": 1, \"mem\": 512, \"heap\": 128}}");
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    /** The one DNS server of the machine belongs to whichever suite home got it first: wait for ours. */
    private void awaitOurDns() {
        try {
            Poll.until(Duration.ofSeconds(45), "the DNS server on 127.0.0.1:8053 to answer for dnsa and dnsb", () ->
                    !Dig.query("A", DnsNames.absolute(DnsNames.mesos("dnsa", 0))).isEmpty()
                            && !Dig.query("A", DnsNames.absolute(DnsNames.mesos("dnsb", 0))).isEmpty());
        } catch (AssertionError e) {
            Optional<String> other = Dig.otherSuiteHolder(cluster.home.toString());
            Assumptions.assumeTrue(other.isEmpty(),
                    () -> "127.0.0.1:8053 is held by another suite home's endpoint-svc (" + other.orElse("")
                            + "): " + e.getMessage());
            throw e;
        }
    }

    @Test
    void nodesAreFoundBySrvAndARecordsAndClustersAreDisjoint() {
        awaitOurDns();
        for (int node = 0; node < 2; node++) {
            List<String> srv = Dig.query("SRV", DnsNames.srv("dnsa", Listener.MQTT, node));
            assertEquals(1, srv.size(), srv.toString());
            String[] fields = srv.get(0).split("\\s+");
            assertEquals("1883", fields[2], "SRV port: " + srv);
            assertEquals("hivemq-" + node + "-node.dnsa.mesos.", fields[3], "SRV target: " + srv);
            assertEquals(List.of(a.layout().nodeAddress(node)), Dig.query("A", fields[3]));
            assertEquals(List.of(a.layout().nodeAddress(node)),
                    Dig.query("A", DnsNames.absolute(DnsNames.autoip("dnsa", node))));
        }
        List<String> bSrv = Dig.query("SRV", DnsNames.srv("dnsb", Listener.MQTT, 0));
        assertEquals(1, bSrv.size(), bSrv.toString());
        assertTrue(bSrv.get(0).endsWith("hivemq-0-node.dnsb.mesos."), bSrv.toString());
        assertEquals(List.of(b.layout().nodeAddress(0)), Dig.query("A", "hivemq-0-node.dnsb.mesos."));
        // dnsb has one node: no record of a second one, and none of its answers points into dnsa's range.
        assertEquals(List.of(), Dig.query("SRV", DnsNames.srv("dnsb", Listener.MQTT, 1)));
        Set<String> aAddresses = new HashSet<>(List.of(a.layout().nodeAddress(0), a.layout().nodeAddress(1),
                a.layout().vipAddress()));
        for (String answer : List.of(Dig.query("A", "hivemq-0-node.dnsb.mesos.").get(0),
                Dig.query("A", DnsNames.absolute(DnsNames.vip("dnsb", Listener.MQTT))).get(0))) {
            assertTrue(!aAddresses.contains(answer), answer + " belongs to dnsa");
        }
        assertTrue(a.endpoint().slot() != b.endpoint().slot(), "two slots");
    }

    @Test
    void theVipNameResolvesAndCarriesMqtt() throws Exception {
        awaitOurDns();
        List<String> vip = Dig.query("A", DnsNames.absolute(DnsNames.vip("dnsa", Listener.MQTT)));
        assertEquals(List.of(a.layout().vipAddress()), vip);
        try (OutsideClient client = OutsideClient.connect(vip.get(0), 1883, "via-vip")) {
            client.subscribe("st/vip", 1);
            assertEquals(0, client.publish("st/vip", "through the VIP", false));
            assertNotNull(client.nextOn("st/vip", 10_000), "message through the VIP");
        }
    }

    @Test
    void aDrainedNodeGetsNoNewConnections() throws Exception {
        String url = a.layout().endpointUrl();
        String token = a.endpoint().token();
        Poll.until(Duration.ofSeconds(30), "both nodes in VIP rotation", () ->
                inRotation(url, token) == 2);
        given().header("Authorization", "Bearer " + token).post(url + "/v1/vip/drain/hivemq-0")
                .then().statusCode(200).body("drained", org.hamcrest.Matchers.equalTo(true));
        List<OutsideClient> clients = new ArrayList<>();
        try {
            // Empty client ids: the VIP spreads those round robin. A named client whose home node is drained would
            // be held for that node (client-id affinity, endpoint-svc README), which is not what this test is about.
            for (int i = 0; i < 6; i++) {
                clients.add(OutsideClient.connect(a.layout().vipAddress(), 1883, ""));
            }
            int[] counts = connections(url, token);
            assertEquals(0, counts[0], "connections through the VIP on the drained hivemq-0");
            assertEquals(6, counts[1], "connections through the VIP on hivemq-1");
            given().header("Authorization", "Bearer " + token).post(url + "/v1/vip/undrain/hivemq-0")
                    .then().statusCode(200);
            for (int i = 6; i < 10; i++) {
                clients.add(OutsideClient.connect(a.layout().vipAddress(), 1883, ""));
            }
            assertTrue(connections(url, token)[0] > 0, "hivemq-0 takes connections again after undrain");
        } finally {
            clients.forEach(OutsideClient::close);
        }
    }

    private static int inRotation(String url, String token) {
        JsonNode mqtt = vip(url, token);
        int n = 0;
        for (JsonNode node : mqtt.path("nodes")) {
            n += node.path("inRotation").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private static int[] connections(String url, String token) {
        JsonNode mqtt = vip(url, token);
        int[] counts = new int[2];
        for (JsonNode node : mqtt.path("nodes")) {
            counts[node.path("pod").asText().equals("hivemq-0") ? 0 : 1] = node.path("connections").asInt();
        }
        return counts;
    }

    private static JsonNode vip(String url, String token) {
        Response response = given().header("Authorization", "Bearer " + token).get(url + "/v1/vip");
        try {
            for (JsonNode listener : new ObjectMapper().readTree(response.asString()).path("listeners")) {
                if (listener.path("name").asText().equals("mqtt")) {
                    return listener;
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no mqtt VIP in " + response.asString());
    }

    @Test
    void edgeLbPoolHasTheUserGuideShape() throws IOException {
        Cli.Result pool = cluster.run("--name", "dnsa", "endpoints", "--edge-lb");
        assertEquals(0, pool.exitCode(), pool.toString());
        JsonNode json = new ObjectMapper().readTree(pool.out());
        JsonNode expected = new ObjectMapper().readTree("""
                {"apiVersion": "V2", "name": "dnsa", "count": 1,
                 "haproxy": {"stats": {"bindPort": 9090},
                   "frontends": [{"bindPort": 1883, "protocol": "TCP", "linkBackend": {"defaultBackend": "mqtt"}}],
                   "backends": [{"name": "mqtt", "protocol": "TCP",
                     "services": [{"mesos": {"frameworkName": "dnsa", "taskNamePattern": ".*-node"},
                                   "endpoint": {"portName": "mqtt"}}]}]}}
                """);
        assertEquals(expected, json);
    }

    @Test
    void haproxyInFrontOfTheNodesCarriesMqtt() throws Exception {
        assertTrue(Prerequisites.onPath("haproxy"), "haproxy is not installed (apt-get install -y haproxy)");
        int port;
        String address = "127.0." + a.endpoint().slot() + ".240";
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            port = probe.getLocalPort();
        }
        Path config = cluster.home.resolve("haproxy-dnsa.cfg");
        Cli.Result result = cluster.run("--name", "dnsa", "endpoints", "--haproxy", "--bind", address + ":" + port,
                "--output", config.toString());
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Files.readString(config).contains(a.layout().nodeAddress(1) + ":1883"), result.out());
        // The command line names the test's home, so the cleanup's kill finds haproxy too.
        Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(cluster.home.resolve("haproxy.log").toFile()).start();
        try {
            OutsideClient client = Poll.until(Duration.ofSeconds(15), "MQTT through haproxy",
                    () -> OutsideClient.connect(address, port, "via-haproxy"));
            try (client) {
                client.subscribe("st/haproxy", 1);
                assertEquals(0, client.publish("st/haproxy", "through haproxy", false));
                assertNotNull(client.nextOn("st/haproxy", 10_000));
            }
        } finally {
            haproxy.destroy();
            if (!haproxy.waitFor(5, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        }
    }
}
