package io.hivemqsuite.agent.node;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.awaitility.core.ConditionTimeoutException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The agent with a real broker JVM, real sockets and a real MQTT 5 client. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentTest {
    private static final String TOKEN = "Bearer " + AgentTestProfile.SECRET;
    private static final String SERVICE = "testhivemq";

    @AfterAll
    static void noBrokerOutlivesTheTests() {
        // the agent stops its broker when Quarkus shuts down; this catches one that escaped a failed test
        Runtime.getRuntime().addShutdownHook(new Thread(AgentTestProfile::killLeftovers));
    }

    @Test
    @Order(1)
    void everyApiButHealthNeedsTheInternalCredential() {
        given().get("/v1/node/status").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").get("/v1/node/status").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
        given().header("Authorization", TOKEN).get("/v1/node/status").then().statusCode(200)
                .body("node", equalTo(0)).body("pod", equalTo("hivemq-0"));
        // every service documents its API at /q/openapi, the agents too
        given().header("Authorization", TOKEN).get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo("HiveMQ suite node agent"))
                .body("paths", hasKey("/v1/node/status"));
    }

    @Test
    @Order(2)
    void agentStartsTheBrokerAndReportsHealthyOnceListenersAccept() throws Exception {
        NodeStatus status = awaitStatus(s -> s.state() == NodeState.HEALTHY, Duration.ofSeconds(90));
        assertTrue(status.brokerPid() > 0);
        assertEquals(1, status.brokerStarts());
        assertEquals(Map.of("mqtt", new NodeStatus.ListenerStatus(AgentTestProfile.MQTT_PORT, true),
                "websocket", new NodeStatus.ListenerStatus(AgentTestProfile.WEBSOCKET_PORT, true),
                "mqtt-tls", new NodeStatus.ListenerStatus(8883, true)), status.listeners());
        assertTrue(accepts(AgentTestProfile.MQTT_PORT) && accepts(AgentTestProfile.WEBSOCKET_PORT));
        assertEquals(Long.toString(status.brokerPid()),
                Files.readString(AgentTestProfile.NODE_DIR.resolve("broker.pid")).trim());
        String commandLine = ProcessHandle.of(status.brokerPid()).flatMap(p -> p.info().commandLine()).orElseThrow();
        assertTrue(commandLine.contains("-Xmx64m") && commandLine.contains("com.hivemq.HiveMQServer"), commandLine);
        given().get("/q/health/ready").then().statusCode(200);
        assertTrue(Files.readString(AgentTestProfile.NODE_DIR.resolve("hivemq/log/hivemq.log"))
                .contains("Started HiveMQ in"));
    }

    @Test
    @Order(3)
    void statusCommandIsAnsweredOverMqtt5RequestResponseOncePerCommandId() throws Exception {
        Assumptions.assumeTrue(Files.exists(LocalDistribution.fromEnvironment().brokerExtensionZip()),
                "broker-extension zip not built: without a security extension no MQTT client can connect");
        awaitStatus(s -> s.state() == NodeState.HEALTHY, Duration.ofSeconds(60));
        String clientId = "hivemq-suite-test-requester";
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost(AgentTestProfile.ADDRESS).serverPort(AgentTestProfile.MQTT_PORT)
                .simpleAuth().username(InternalCredential.USERNAME)
                .password(AgentTestProfile.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        client.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            String replies = ControlTopics.replies(SERVICE, clientId);
            client.subscribeWith().topicFilter(replies).qos(MqttQos.AT_LEAST_ONCE).send();
            client.subscribeWith().topicFilter(ControlTopics.status(SERVICE, 0)).qos(MqttQos.AT_LEAST_ONCE).send();

            NodeStatus retained = ControlJson.read(next(publishes, ControlTopics.status(SERVICE, 0)).getPayloadAsBytes(),
                    NodeStatus.class);
            assertEquals(NodeState.HEALTHY, retained.state(), "retained status on the control topic");

            String id = "cmd-" + System.nanoTime();
            CommandResult first = request(client, publishes, replies, ControlJson.write(
                    new NodeCommand(id, NodeCommand.STATUS, Map.of())), "corr-1");
            assertTrue(first.ok(), first.message());
            assertEquals(id, first.commandId());
            assertEquals("HEALTHY", first.data().get("state"));
            assertEquals("true", first.data().get("listener.mqtt.accepting"));

            CommandResult again = request(client, publishes, replies, ControlJson.write(
                    new NodeCommand(id, NodeCommand.STATUS, Map.of())), "corr-2");
            assertEquals(first, again, "a repeated command id is answered from the log, not executed again");

            CommandResult unknown = request(client, publishes, replies, ControlJson.write(
                    new NodeCommand("cmd-x-" + System.nanoTime(), "explode", Map.of())), "corr-3");
            assertFalse(unknown.ok());
            assertTrue(unknown.message().contains("unknown command type 'explode'"), unknown.message());

            CommandResult malformed = request(client, publishes, replies,
                    "{\"id\":\"broken-1\",\"type\":\"\"}".getBytes(StandardCharsets.UTF_8), "corr-4");
            assertFalse(malformed.ok());
            assertEquals("broken-1", malformed.commandId());
            assertTrue(malformed.message().startsWith("malformed command"), malformed.message());
        } finally {
            client.disconnect();
        }
    }

    @Test
    @Order(4)
    void killedBrokerIsRestartedAndHealthyAgain() throws Exception {
        NodeStatus before = awaitStatus(s -> s.state() == NodeState.HEALTHY, Duration.ofSeconds(60));
        ProcessHandle broker = ProcessHandle.of(before.brokerPid()).orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(broker.pid())).inheritIO().start().waitFor();
        broker.onExit().get(10, TimeUnit.SECONDS);

        awaitStatus(s -> s.state() != NodeState.HEALTHY, Duration.ofSeconds(10));
        given().get("/q/health/ready").then().statusCode(503);
        NodeStatus after = awaitStatus(s -> s.state() == NodeState.HEALTHY && s.brokerPid() != before.brokerPid(),
                Duration.ofSeconds(90));
        assertNotEquals(before.brokerPid(), after.brokerPid());
        assertEquals(before.brokerStarts() + 1, after.brokerStarts());
        assertTrue(after.listeners().values().stream().allMatch(NodeStatus.ListenerStatus::accepting));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(5)
    void aPeerTableFromTheSchedulerReachesTheRouterWithoutABrokerRestart() throws Exception {
        Assumptions.assumeTrue(Files.exists(LocalDistribution.fromEnvironment().brokerExtensionZip()),
                "broker-extension zip not built: no router");
        NodeStatus before = awaitStatus(s -> s.state() == NodeState.HEALTHY, Duration.ofSeconds(60));
        String self = AgentTestProfile.ADDRESS + ":" + AgentTestProfile.MQTT_PORT;
        assertEquals(Map.of("0", self), before.peers(), "the spec's one node");

        for (String bad : new String[]{"{}", "{\"nodes\": []}", "{\"nodes\": {\"x\": \"127.0.66.2:1883\"}}",
                "{\"nodes\": {\"0\": \"" + self + "\", \"1\": \"no-port\"}}",
                "{\"nodes\": {\"1\": \"127.0.66.2:1883\"}}"}) {
            given().header("Authorization", TOKEN).contentType("application/json").body(bad)
                    .put("/v1/node/peers").then().statusCode(400).body("field", equalTo("nodes"));
        }
        assertEquals(Map.of("0", self), awaitStatus(s -> true, Duration.ofSeconds(5)).peers(), "refusals change nothing");

        String two = "{\"nodes\": {\"0\": \"" + self + "\", \"1\": \"127.0.66.2:1883\"}}";
        given().header("Authorization", TOKEN).contentType("application/json").body(two)
                .put("/v1/node/peers").then().statusCode(200).body("changed", equalTo(true));
        given().header("Authorization", TOKEN).contentType("application/json").body(two)
                .put("/v1/node/peers").then().statusCode(200).body("changed", equalTo(false));
        NodeStatus after = awaitStatus(s -> s.routing() != null && s.routing().peers().containsKey("1"),
                Duration.ofSeconds(15));
        assertEquals(Map.of("0", self, "1", "127.0.66.2:1883"), after.peers());
        assertEquals(before.brokerPid(), after.brokerPid(), "the router took the new peer without a broker restart");
        for (java.nio.file.Path kept : new java.nio.file.Path[]{AgentTestProfile.NODE_DIR.resolve("agent/peers.properties"),
                AgentTestProfile.NODE_DIR.resolve("hivemq/extensions/hivemq-suite-extension/peers.properties")}) {
            assertTrue(Files.readString(kept).contains("node.1=127.0.66.2\\:1883"), kept + ": " + Files.readString(kept));
        }

        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"nodes\": {\"0\": \"" + self + "\"}}").put("/v1/node/peers").then().statusCode(200);
        awaitStatus(s -> s.routing() != null && !s.routing().peers().containsKey("1"), Duration.ofSeconds(15));
    }

    @Test
    @Order(6)
    void usersAndRolesPushedToANodeWithoutThemAreRefusedAndBadOnesNameTheOption() {
        // malformed credentials.xml: 400 naming the option, before anything else is looked at
        String malformed = java.util.Base64.getEncoder().encodeToString("<file-rbac><users>".getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"rbac_config\": \"" + malformed + "\"}")
                .put("/v1/node/rbac").then().statusCode(400).body("field", equalTo("mqtt.auth.rbac_config"));
        // valid, but this node's spec has users and roles off: switching them on needs a restart
        String valid = java.util.Base64.getEncoder().encodeToString("""
                <file-rbac><users><user><name>u</name><password>p</password><roles><id>r</id></roles></user></users>
                <roles><role><id>r</id><permissions><permission><topic>#</topic></permission></permissions></role></roles>
                </file-rbac>""".getBytes(StandardCharsets.UTF_8));
        String plain = java.util.Base64.getEncoder().encodeToString(
                "<extension-configuration><password-type>PLAIN</password-type></extension-configuration>"
                        .getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"rbac_config\": \"" + valid + "\", \"rbac_extension_config\": \"" + plain + "\"}")
                .put("/v1/node/rbac").then().statusCode(409).body("field", equalTo("mqtt.auth.enable_rbac"));
        assertFalse(Files.exists(AgentTestProfile.NODE_DIR.resolve("hivemq/extensions/hivemq-suite-extension/rbac")));
    }

    private static CommandResult request(Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes publishes,
                                         String replies, byte[] payload, String correlation) throws Exception {
        client.publishWith().topic(ControlTopics.commands(SERVICE, 0)).qos(MqttQos.AT_LEAST_ONCE)
                .responseTopic(replies).correlationData(correlation.getBytes(StandardCharsets.UTF_8))
                .payload(payload).send();
        Mqtt5Publish reply = next(publishes, replies);
        ByteBuffer data = reply.getCorrelationData().orElseThrow(() -> new AssertionError("no correlation data"));
        assertEquals(correlation, StandardCharsets.UTF_8.decode(data).toString());
        return ControlJson.read(reply.getPayloadAsBytes(), CommandResult.class);
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes, String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<Mqtt5Publish> p = publishes.receive(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (p.isPresent() && p.get().getTopic().toString().equals(topic)) {
                return p.get();
            }
        }
        return fail("nothing on " + topic + " within 15 s");
    }

    private static NodeStatus awaitStatus(Predicate<NodeStatus> condition, Duration timeout) {
        AtomicReference<NodeStatus> last = new AtomicReference<>();
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                String json = given().header("Authorization", TOKEN).get("/v1/node/status").then().statusCode(200)
                        .extract().asString();
                last.set(ControlJson.read(json.getBytes(StandardCharsets.UTF_8), NodeStatus.class));
                return last.get();
            }, condition);
        } catch (ConditionTimeoutException e) {
            return fail("node status did not reach the expected state within " + timeout + "; last: " + last.get());
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(AgentTestProfile.ADDRESS, port), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
