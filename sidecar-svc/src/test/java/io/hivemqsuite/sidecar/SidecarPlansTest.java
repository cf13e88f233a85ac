package io.hivemqsuite.sidecar;

import io.hivemqsuite.testext.TestArchives;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.archive.ArchiveFetcher;
import io.hivemqsuite.sidecar.node.NodeChannels;
import io.hivemqsuite.sidecar.plan.SidecarRuntime;
import io.hivemqsuite.sidecar.state.SidecarState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.hivemqsuite.sidecar.SidecarTestCluster.NODES;
import static io.hivemqsuite.sidecar.SidecarTestCluster.archives;
import static io.hivemqsuite.sidecar.SidecarTestCluster.extensions;
import static io.hivemqsuite.sidecar.SidecarTestCluster.nodeDir;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * sidecar-svc over its REST API against real node agents and brokers and a real ZooKeeper; effects observed with
 * Eclipse Paho as an ordinary MQTT client and on the nodes' folders.
 */
@QuarkusTest
@QuarkusTestResource(value = SidecarTestCluster.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SidecarPlansTest {
    private static final String AUTH = "Bearer " + SidecarTestCluster.TOKEN;
    private static final String ID = TestArchives.ID;

    @Test
    @Order(1)
    void apiNeedsTheTokenAndListsTheSixPlans() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/v1/plans").then().statusCode(401).body("field", equalTo("Authorization"));
        given().header("Authorization", "Bearer " + SidecarTestCluster.SECRET).get("/v1/plans").then().statusCode(401);
        awaitReady();
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(401);
        given().header("Authorization", AUTH).get("/v1/plans").then().statusCode(200)
                .body("$", hasItems("add-license", "add-extension", "add-config", "enable-extension",
                        "disable-extension", "delete-extension"));
        given().header("Authorization", AUTH).get("/v1/plans/deploy").then().statusCode(404);
        // the plan is looked up before the body is read: the sidecar's API always answered this 404
        given().header("Authorization", AUTH).contentType("application/json").body("{\"URL\":")
                .post("/v1/plans/deploy/start").then().statusCode(404).body("message", containsString("'deploy'"));
        // like dcos-commons sidecar plans: WAITING until started
        given().header("Authorization", AUTH).get("/v1/plans/add-extension").then().statusCode(417)
                .body("status", equalTo("WAITING")).body("strategy", equalTo("serial"))
                .body("phases[0].steps[1].name", equalTo("hivemq-1:[add-extension]"));
    }

    @Test
    @Order(2)
    void everyBadParameterIsRefusedWith400AndNothingChanges() throws Exception {
        String good = archives.serve("good.zip", TestArchives.good());
        refused("add-extension", Map.of(), "URL", "missing");
        refused("add-extension", Map.of("URL", good, "COLOR", "red"), "COLOR", "unknown parameter");
        refused("add-license", Map.of("LICENSE", "%%%", "LICENSE_NAME", "a.lic"), "LICENSE", "base64");
        refused("add-license", Map.of("LICENSE", "YWJj", "LICENSE_NAME", "dir/a.lic"), "LICENSE_NAME", "without a path");
        refused("add-extension", Map.of("URL", "file:///etc/hostname"), "URL", "scheme 'file' is not allowed");
        refused("add-extension", Map.of("URL", "gopher://127.0.69.250/x"), "URL", "not allowed");
        refused("add-extension", Map.of("URL", "http://127.0.69.251:1/x.zip"), "URL", "unreachable");
        refused("add-extension", Map.of("URL", archives.unservedUrl()), "URL", "HTTP 404");
        refused("add-extension", Map.of("URL", archives.serve("large.zip",
                TestArchives.tooLarge((int) SidecarTestCluster.MAX_ARCHIVE_BYTES))), "URL", "too large");
        refused("add-extension", Map.of("URL", good, "SHA256", "ab".repeat(32)), "SHA256", "checksum mismatch");
        refused("add-extension", Map.of("URL", archives.serve("slip.zip", TestArchives.zipSlip())), "URL", "zip slip");
        refused("add-extension", Map.of("URL", archives.serve("link.zip", TestArchives.symlink())), "URL",
                "symbolic link");
        refused("add-extension", Map.of("URL", archives.serve("two.zip", TestArchives.twoFolders())), "URL",
                "exactly one extension folder");
        refused("add-extension", Map.of("URL", archives.serve("mismatch.zip", TestArchives.idMismatch())), "URL",
                "differs from its folder name");
        refused("add-extension", Map.of("URL", archives.serve("nojar.zip", TestArchives.noJar())), "URL", "no jar");
        refused("add-config", Map.of("PATH", ID + "/../../conf/config.xml", "FILE_CONTENT", "YQ=="), "PATH", "leaves");
        refused("add-config", Map.of("PATH", "/etc/passwd", "FILE_CONTENT", "YQ=="), "PATH", "absolute");
        refused("add-config", Map.of("PATH", ID + "/conf/x.txt", "FILE_CONTENT", "YQ=="), "PATH", "does not exist");
        refused("disable-extension", Map.of("EXTENSION", "nope"), "EXTENSION", "does not exist");
        refused("delete-extension", Map.of("EXTENSION", "../x"), "EXTENSION", "folder name");
        for (int i = 0; i < NODES; i++) {
            assertEquals(List.of("hivemq-suite-extension"), folders(extensions(i)), "node " + i + " untouched");
            assertEquals(List.of(), folders(nodeDir(i).resolve("hivemq/license")), "node " + i + " untouched");
        }
        for (String plan : List.of("add-extension", "add-license", "add-config", "disable-extension")) {
            given().header("Authorization", AUTH).get("/v1/plans/" + plan).then().body("status", equalTo("WAITING"))
                    .body("phases[0].steps.status", everyItem(equalTo("WAITING")));
        }
    }

    @Test
    @Order(3)
    void addExtensionRollsOverEveryNodeAndEveryBrokerRunsIt() throws Exception {
        for (int i = 0; i < NODES; i++) {
            assertEquals(Optional.empty(), greeting(i));
        }
        byte[] zip = TestArchives.good();
        start("add-extension", Map.of("URL", archives.serve("good.zip", zip)));
        Response done = awaitEnd("add-extension");
        assertEquals(200, done.statusCode(), done.asString());
        for (int i = 0; i < NODES; i++) {
            assertEquals(Optional.of("hello"), greeting(i), "node " + i);
        }
        given().header("Authorization", AUTH).get("/v1/plans/add-extension").then()
                .body("phases[0].steps[0].message", containsString(ArchiveFetcher.sha256(zip)));
    }

    @Test
    @Order(4)
    void addConfigWritesTheExactBytesOnEveryNode() throws Exception {
        byte[] content = "bonjour\n".getBytes(StandardCharsets.UTF_8);
        start("add-config", Map.of("PATH", ID + "/conf/greeting.txt",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(content)));
        assertEquals(200, awaitEnd("add-config").statusCode());
        for (int i = 0; i < NODES; i++) {
            assertArrayEquals(content, Files.readAllBytes(extensions(i).resolve(ID + "/conf/greeting.txt")));
            assertEquals(Optional.of("bonjour"), greeting(i));
        }
    }

    @Test
    @Order(5)
    void disableThenEnable() throws Exception {
        start("disable-extension", Map.of("EXTENSION", ID));
        assertEquals(200, awaitEnd("disable-extension").statusCode());
        for (int i = 0; i < NODES; i++) {
            assertEquals(Optional.empty(), greeting(i), "disabled on node " + i);
        }
        start("enable-extension", Map.of("EXTENSION", ID));
        assertEquals(200, awaitEnd("enable-extension").statusCode());
        for (int i = 0; i < NODES; i++) {
            assertEquals(Optional.of("bonjour"), greeting(i), "enabled on node " + i);
        }
    }

    @Test
    @Order(6)
    void addLicenseOnEveryNode() throws Exception {
        byte[] license = "a license\n".getBytes(StandardCharsets.UTF_8);
        start("add-license", Map.of("LICENSE", Base64.getEncoder().encodeToString(license),
                "LICENSE_NAME", "new_license"));
        assertEquals(200, awaitEnd("add-license").statusCode());
        for (int i = 0; i < NODES; i++) {
            assertArrayEquals(license, Files.readAllBytes(nodeDir(i).resolve("hivemq/license/new_license.lic")));
        }
    }

    @Test
    @Order(7)
    void aSymlinkedParentIsRefused() throws Exception {
        Path link = extensions(0).resolve(ID).resolve("linked");
        Files.createSymbolicLink(link, Files.createDirectories(SidecarTestCluster.BASE.resolve("outside")));
        try {
            refused("add-config", Map.of("PATH", ID + "/linked/x.txt", "FILE_CONTENT", "YQ=="), "PATH",
                    "symbolic link");
        } finally {
            Files.delete(link);
        }
    }

    @Test
    @Order(8)
    void aBrokenExtensionStopsThePlanOnTheFirstNode() throws Exception {
        int node1Starts = SidecarTestCluster.brokerStarts(1);
        start("add-extension", Map.of("URL", archives.serve("failing.zip", TestArchives.failingAtStart())));
        Response end = awaitEnd("add-extension");
        assertEquals(417, end.statusCode(), end.asString());
        assertEquals("ERROR", end.path("status"));
        assertEquals("ERROR", end.path("phases[0].steps[0].status"));
        assertTrue(end.<String>path("phases[0].steps[0].message").contains("undone"));
        assertEquals("PENDING", end.path("phases[0].steps[1].status"));
        await("node 1 is not touched").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> SidecarTestCluster.brokerStarts(1) == node1Starts);
        for (int i = 0; i < NODES; i++) {
            assertEquals(Optional.of("bonjour"), greeting(i), "the working extension still runs on node " + i);
            assertFalse(Files.exists(extensions(i).resolve(ID).resolve("DISABLED")));
        }
    }

    @Test
    @Order(9)
    void stopEndsThePlanAfterTheCurrentStep() throws Exception {
        int node1Starts = SidecarTestCluster.brokerStarts(1);
        start("disable-extension", Map.of("EXTENSION", ID));
        await("step 0 starts").atMost(Duration.ofSeconds(30)).until(() ->
                List.of("STARTING", "STARTED").contains(plan("disable-extension").<String>path("phases[0].steps[0].status")));
        given().header("Authorization", AUTH).post("/v1/plans/disable-extension/stop").then().statusCode(200);
        // node 0 finishes what it began; node 1 is never asked
        await("node 0 finishes its step").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> greeting(0).isEmpty());
        await("the plan waits and node 1 is never asked").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                .until(() -> {
                    Response after = plan("disable-extension");
                    return after.statusCode() == 417 && "WAITING".equals(after.path("status"))
                            && SidecarTestCluster.brokerStarts(1) == node1Starts;
                });
        assertEquals(Optional.of("bonjour"), greeting(1));
        assertEquals(node1Starts, SidecarTestCluster.brokerStarts(1));
    }

    /**
     * A sidecar-svc that dies mid-plan: a second runtime over the same state store subtree takes over the plan
     * and finishes it without running node 0's change twice.
     */
    @Test
    @Order(10)
    void aRestartedSidecarResumesWhereItWas() throws Exception {
        String base = "/resume-test/sidecar";
        int node0Starts = SidecarTestCluster.brokerStarts(0);
        SidecarState stateA = SidecarState.connect(SidecarTestCluster.ZK, base);
        NodeChannels channelsA = channels("resume-a");
        SidecarRuntime a = new SidecarRuntime(stateA, channelsA, new ArchiveFetcher(false, 1 << 20), 1 << 22, NODES).run();
        a.start("enable-extension", Map.of("EXTENSION", ID), NODES);
        await("step 0 starts").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                a.plan("enable-extension").orElseThrow().phases().get(0).steps().get(0).status() == Status.STARTED);
        // killed: no goodbye, the plan is left mid-step
        a.close();
        channelsA.close();
        stateA.close();

        SidecarState stateB = SidecarState.connect(SidecarTestCluster.ZK, base);
        NodeChannels channelsB = channels("resume-b");
        try (SidecarRuntime b = new SidecarRuntime(stateB, channelsB, new ArchiveFetcher(false, 1 << 20), 1 << 22,
                NODES).run()) {
            Plan resumed = b.plan("enable-extension").orElseThrow();
            await(resumed.view().toString()).atMost(Duration.ofSeconds(120))
                    .failFast("the resumed plan failed", () -> resumed.status() == Status.ERROR)
                    .until(() -> resumed.status() == Status.COMPLETE);
            assertEquals(node0Starts + 1, SidecarTestCluster.brokerStarts(0), "node 0's change ran once");
            assertEquals(Optional.of("bonjour"), greeting(0));
        } finally {
            channelsB.close();
            stateB.close();
        }
    }

    @Test
    @Order(11)
    void completedChangesAreRecordedAndANewNodeReceivesThemBeforeItServes() throws Exception {
        given().header("Authorization", "Bearer " + SidecarTestCluster.SECRET).get("/v1/changes").then()
                .statusCode(200)
                .body("plan", equalTo(List.of("add-extension", "add-config", "disable-extension", "enable-extension",
                        "add-license")))
                .body("seq", equalTo(List.of(1, 2, 3, 4, 5)))
                .body("[0].parameters.SHA256", equalTo(ArchiveFetcher.sha256(TestArchives.good())))
                .body("[0].extension", equalTo(ID));
        given().header("Authorization", "Bearer " + SidecarTestCluster.SECRET).get("/v1/plans").then().statusCode(401);
        int newNode = NODES;
        SidecarTestCluster.startAgent(newNode);
        SidecarTestCluster.awaitHealthy(newNode, java.time.Duration.ofSeconds(120));
        assertEquals(1, SidecarTestCluster.brokerStarts(newNode), "caught up before its first broker start");
        assertEquals(Optional.of("bonjour"), greeting(newNode));
        assertArrayEquals("a license\n".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(nodeDir(newNode).resolve("hivemq/license/new_license.lic")));
    }

    @Test
    @Order(12)
    void deleteRemovesTheFolderEverywhere() throws Exception {
        start("delete-extension", Map.of("EXTENSION", ID));
        Response end = awaitEnd("delete-extension");
        assertEquals(200, end.statusCode(), end.asString());
        for (int i = 0; i < NODES; i++) {
            assertFalse(Files.exists(extensions(i).resolve(ID)), "node " + i);
            assertEquals(Optional.empty(), greeting(i));
        }
        // a node that joins from now on has nothing of the deleted extension to replay, only the license
        given().header("Authorization", "Bearer " + SidecarTestCluster.SECRET).get("/v1/changes").then()
                .statusCode(200).body("plan", equalTo(List.of("add-license"))).body("seq", equalTo(List.of(5)));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static NodeChannels channels(String prefix) {
        return new NodeChannels(SidecarTestCluster.SERVICE, 1883, SidecarTestCluster.SECRET,
                SidecarTestCluster::address, prefix);
    }

    private static void awaitReady() {
        await("sidecar-svc ready").atMost(Duration.ofSeconds(60))
                .until(() -> given().header("Authorization", AUTH).get("/v1/plans").statusCode() == 200);
    }

    private static void refused(String plan, Map<String, String> params, String field, String reason) {
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(params)
                .post("/v1/plans/" + plan + "/start").then()
                .statusCode(400).body("field", equalTo(field)).body("message", containsString(reason));
    }

    private static void start(String plan, Map<String, String> params) {
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(new LinkedHashMap<>(params))
                .post("/v1/plans/" + plan + "/start").then().statusCode(200)
                .body("message", equalTo("Received cmd: start"));
    }

    private static Response plan(String plan) {
        return given().header("Authorization", AUTH).get("/v1/plans/" + plan);
    }

    private static Response awaitEnd(String plan) throws InterruptedException {
        return await("plan " + plan + " ends").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300))
                .until(() -> plan(plan), r -> r.statusCode() == 200 || r.statusCode() == 417);
    }

    private static List<String> folders(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An ordinary MQTT user (Paho) publishes on node i and reads the greeting the test extension adds, if any. */
    private static Optional<String> greeting(int node) throws Exception {
        MqttClient client = new MqttClient("tcp://" + SidecarTestCluster.address(node) + ":1883",
                "paho-" + UUID.randomUUID(), new MemoryPersistence());
        CompletableFuture<MqttMessage> received = new CompletableFuture<>();
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.complete(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        await("MQTT connect to node " + node).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .ignoreException(MqttException.class).until(() -> {
                    client.connect(options);
                    return true;
                });
        try {
            client.subscribe("greet/test", 1);
            client.publish("greet/test", new MqttMessage(new byte[]{1}, 1, false, new MqttProperties()));
            MqttMessage message = received.get(10, TimeUnit.SECONDS);
            List<UserProperty> props = message.getProperties() == null ? List.of()
                    : message.getProperties().getUserProperties();
            return props.stream().filter(p -> p.getKey().equals("greeting")).map(UserProperty::getValue).findFirst();
        } finally {
            client.disconnect();
            client.close();
        }
    }
}
