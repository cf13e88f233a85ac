package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.testext.TestArchives;
import io.restassured.response.Response;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sidecar plans driven through the CLI on a real 3-node cluster: {@code add-extension} with the test extension
 * served over HTTP (its effect, the user property {@code greeting}, seen by a Paho client on every node); a refused
 * start changes nothing; {@code add-config} survives a {@code kill -9} of sidecar-svc between two nodes without
 * redoing the finished node; a node added by {@code update start} (node.count 3 -> 4) replays both changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SidecarPlansSystemTest {
    private static final String SERVICE = "side";
    private static final String EXT = TestArchives.ID;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestCluster cluster;
    private InstalledService service;
    private TestArchives archives;
    private String goodUrl;

    @BeforeAll
    void install() throws IOException {
        if (System.getProperty("hivemq.suite.dist") == null) {
            System.setProperty("hivemq.suite.dist", Cli.dist().toString());
        }
        cluster = new TestCluster("hivemq-suite-side-");
        service = cluster.install(SERVICE, options(3));
        for (int i = 0; i < 3; i++) {
            int node = i;
            Poll.until(Duration.ofSeconds(60), "node " + i + " healthy", () -> service.nodeStatus(node).healthy());
        }
        // An operator's web server on a loopback address of this service's slot that nothing else uses.
        archives = new TestArchives("127.0." + service.endpoint().slot() + ".231");
        goodUrl = archives.serve("hivemq-test-extension.zip", TestArchives.good());
    }

    @AfterAll
    void uninstall() throws IOException {
        try {
            if (archives != null) {
                archives.close();
            }
        } finally {
            cluster.close();
        }
    }

    private static String options(int nodes) {
        return "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": " + nodes
                + ", \"mem\": 512, \"heap\": 128}}";
    }

    private List<Long> brokerPids(int nodes) {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            pids.add(service.nodeStatus(i).brokerPid());
        }
        return pids;
    }

    /** {@code plan status PLAN --json} through the CLI, parsed. */
    private JsonNode planStatus(String plan) throws IOException {
        Cli.Result status = cluster.run("--name", SERVICE, "plan", "status", plan, "--json");
        assertEquals(0, status.exitCode(), status.toString());
        return JSON.readTree(status.out());
    }

    private JsonNode waitComplete(String plan, Duration timeout) {
        return Poll.until(timeout, plan + " COMPLETE", () -> {
            JsonNode view = planStatus(plan);
            String s = view.path("status").asText();
            assertNotEquals("ERROR", s, view.toString());
            return "COMPLETE".equals(s) ? view : null;
        });
    }

    /** The sidecar plan over REST (fast, for polling at 100 ms). */
    private Response sidecarPlan(String plan) {
        return given().header("Authorization", "Bearer " + service.endpoint().token())
                .get(service.layout().sidecarUrl() + "/v1/plans/" + plan);
    }

    private List<SuiteProcesses.Proc> sidecarJvms() {
        return SuiteProcesses.containing(service.serviceDir().toString()).stream()
                .filter(p -> p.isJava() && p.commandLine().contains(SuiteProcesses.serviceJar("sidecar-svc"))).toList();
    }

    /** Publishes on a node and answers the {@code greeting} user property the same node delivers (null: none). */
    private String greetingOn(int node) throws Exception {
        String host = service.layout().nodeAddress(node);
        String topic = "greet/" + UUID.randomUUID();
        MqttAsyncClient paho = new MqttAsyncClient("tcp://" + host + ":1883", "greet-" + UUID.randomUUID(),
                new MemoryPersistence());
        CompletableFuture<MqttMessage> got = new CompletableFuture<>();
        paho.setCallback(MessageCallback.onMessage((t, m) -> got.complete(m)));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        try {
            paho.connect(options).waitForCompletion(10_000);
            paho.subscribe(topic, 1).waitForCompletion(10_000);
            MqttMessage message = new MqttMessage("hi".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            paho.publish(topic, message).waitForCompletion(10_000);
            MqttMessage delivered = got.get(10, TimeUnit.SECONDS);
            List<UserProperty> props = delivered.getProperties() == null ? List.of()
                    : delivered.getProperties().getUserProperties();
            return props == null ? null : props.stream().filter(p -> p.getKey().equals("greeting"))
                    .map(UserProperty::getValue).findFirst().orElse(null);
        } finally {
            try {
                if (paho.isConnected()) {
                    paho.disconnect().waitForCompletion(5_000);
                }
            } finally {
                paho.close(true);
            }
        }
    }

    private void assertGreeting(int node, String expected) {
        String seen = Poll.until(Duration.ofSeconds(30), "greeting on node " + node,
                () -> greetingOn(node));
        assertEquals(expected, seen, "greeting delivered by node " + node);
    }

    @Test
    @Order(1)
    void aRefusedStartExitsNonZeroNamesTheFieldAndChangesNothing() throws Exception {
        assertEquals(null, greetingOn(0), "no extension before add-extension");
        List<Long> pids = brokerPids(3);
        Cli.Result ftp = cluster.run("--name", SERVICE, "plan", "start", "add-extension", "-p",
                "URL=ftp://" + "127.0." + service.endpoint().slot() + ".231/hivemq-test-extension.zip");
        assertNotEquals(0, ftp.exitCode(), ftp.toString());
        assertTrue(ftp.all().contains("URL"), "refusal names URL: " + ftp);
        Cli.Result missing = cluster.run("--name", SERVICE, "plan", "start", "add-extension", "-p",
                "URL=" + archives.unservedUrl());
        assertNotEquals(0, missing.exitCode(), missing.toString());
        assertTrue(missing.all().contains("URL"), "refusal names URL: " + missing);
        Poll.holds(Duration.ofSeconds(2), () -> assertEquals(pids, brokerPids(3), "no broker restarted"));
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.notExists(service.layout().nodeDir(i).resolve("hivemq").resolve("extensions").resolve(EXT))
                            || !Files.isDirectory(service.layout().nodeDir(i).resolve("hivemq").resolve("extensions").resolve(EXT)),
                    "no extension folder on node " + i);
        }
    }

    @Test
    @Order(2)
    void addExtensionRunsOnEveryNode() throws Exception {
        List<Long> pids = brokerPids(3);
        long start = System.nanoTime();
        Cli.Result started = cluster.run("--name", SERVICE, "plan", "start", "add-extension", "-p", "URL=" + goodUrl);
        assertEquals(0, started.exitCode(), started.toString());
        JsonNode done = waitComplete("add-extension", Duration.ofMinutes(4));
        System.out.println("add-extension on 3 nodes: " + (System.nanoTime() - start) / 1_000_000 + " ms\n" + done);
        List<Long> after = brokerPids(3);
        for (int i = 0; i < 3; i++) {
            assertNotEquals(pids.get(i), after.get(i), "broker of node " + i + " restarted");
            assertGreeting(i, "hello");
        }
    }

    @Test
    @Order(3)
    void addConfigSurvivesAKilledSidecarWithoutRedoingTheFinishedNode() throws Exception {
        List<Long> before = brokerPids(3);
        List<SuiteProcesses.Proc> sidecars = sidecarJvms();
        assertEquals(1, sidecars.size(), "one sidecar-svc JVM: " + sidecars);
        long sidecarPid = sidecars.get(0).pid();

        String content = Base64.getEncoder().encodeToString("bonjour\n".getBytes(StandardCharsets.UTF_8));
        Cli.Result started = cluster.run("--name", SERVICE, "plan", "start", "add-config", "-p",
                "PATH=" + EXT + "/conf/greeting.txt", "-p", "FILE_CONTENT=" + content);
        assertEquals(0, started.exitCode(), started.toString());

        // Right after hivemq-0's step is COMPLETE (and before hivemq-1's is), kill -9 sidecar-svc.
        JsonNode view = Poll.until(Duration.ofMinutes(3), "hivemq-0's add-config step COMPLETE", () -> {
            Response r = sidecarPlan("add-config");
            if (r.statusCode() != 200 && r.statusCode() != 202 && r.statusCode() != 417) {
                return null;
            }
            JsonNode plan = JSON.readTree(r.asString());
            if ("ERROR".equals(plan.path("status").asText())) {
                throw new IllegalStateException("add-config failed: " + plan); // named as the last problem
            }
            return "COMPLETE".equals(plan.path("phases").get(0).path("steps").get(0).path("status").asText())
                    ? plan : null;
        });
        assertEquals("COMPLETE", view.path("phases").get(0).path("steps").get(0).path("status").asText(),
                "hivemq-0 done: " + view);
        assertNotEquals("COMPLETE", view.path("phases").get(0).path("steps").get(2).path("status").asText(),
                "hivemq-2 not yet done when the sidecar is killed: " + view);
        assertTrue(ProcessHandle.of(sidecarPid).orElseThrow().destroyForcibly(), "kill -9 sidecar-svc");
        long node0Pid = service.nodeStatus(0).brokerPid();
        assertNotEquals(before.get(0), node0Pid, "hivemq-0 restarted for the config");
        System.out.println("killed sidecar-svc " + sidecarPid + " with the plan at " + view);

        Long newSidecar = Poll.until(Duration.ofSeconds(60), "sidecar-svc restarted by the supervisor", () -> {
            List<SuiteProcesses.Proc> now = sidecarJvms();
            return now.size() == 1 && now.get(0).pid() != sidecarPid ? now.get(0).pid() : null;
        });
        System.out.println("sidecar-svc restarted as " + newSidecar);
        JsonNode done = waitComplete("add-config", Duration.ofMinutes(4));
        System.out.println("add-config after the sidecar restart: " + done);

        List<Long> after = brokerPids(3);
        assertEquals(node0Pid, after.get(0), "hivemq-0 not redone after the sidecar restart");
        assertNotEquals(before.get(1), after.get(1), "hivemq-1 restarted");
        assertNotEquals(before.get(2), after.get(2), "hivemq-2 restarted");
        for (int i = 0; i < 3; i++) {
            assertEquals("bonjour\n", Files.readString(service.layout().nodeDir(i).resolve("hivemq").resolve("extensions")
                    .resolve(EXT).resolve("conf/greeting.txt")), "config on node " + i);
            assertGreeting(i, "bonjour");
        }
        assertTrue(sidecarJvms().size() == 1, "exactly one sidecar-svc");
    }

    @Test
    @Order(4)
    void aNodeAddedByUpdateReplaysTheExtensionAndTheConfig() throws Exception {
        List<Long> before = brokerPids(3);
        Path file = Files.writeString(cluster.home.resolve("options-4.json"), options(4));
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", file.toString());
        assertEquals(0, update.exitCode(), update.toString());
        Poll.until(Duration.ofMinutes(4), "update plan COMPLETE", () -> {
            Response plan = service.get("/v1/plans/update");
            assertNotEquals(417, plan.statusCode(), plan.asString());
            return plan.statusCode() == 200;
        });
        Poll.until(Duration.ofSeconds(60), "hivemq-3 healthy", () -> service.nodeStatus(3).healthy());
        assertEquals(before, brokerPids(3), "scaling out restarts no existing node");
        Path ext = service.layout().nodeDir(3).resolve("hivemq").resolve("extensions").resolve(EXT);
        assertTrue(Files.isDirectory(ext), "extension folder on hivemq-3");
        assertTrue(Files.notExists(ext.resolve("DISABLED")), "extension enabled on hivemq-3");
        assertEquals("bonjour\n", Files.readString(ext.resolve("conf/greeting.txt")), "config on hivemq-3");
        assertGreeting(3, "bonjour");
        assertEquals(1, service.nodeStatus(3).brokerStarts(),
                "the changes were replayed before hivemq-3's first broker start: no extra restart");
    }
}
