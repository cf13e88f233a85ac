package io.hivemqsuite.agent.sidecar;

import io.hivemqsuite.testext.TestArchives;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.archive.ArchiveFetcher;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;
import io.hivemqsuite.protocol.topic.ControlTopics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Each sidecar command against the agent's real broker, observed with a real MQTT client and the file system. */
@QuarkusTest
@TestProfile(SidecarAgentProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SidecarCommandsTest {
    private static final String SERVICE = "sidecartest";
    private static final String ID = TestArchives.ID;
    private static final Path HOME = SidecarAgentProfile.NODE_DIR.resolve("hivemq");
    private static final Path EXTENSIONS = HOME.resolve("extensions");
    private static TestArchives archives;
    private static Mqtt5BlockingClient control;
    private static final Map<String, CommandResult> answers = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void serveArchives() {
        archives = new TestArchives("127.0.68.250");
    }

    @AfterAll
    static void cleanUp() {
        if (control != null) {
            control.disconnect();
        }
        archives.close();
    }

    @Test
    @Order(1)
    void refusalsNameTheParameterAndChangeNothing() throws Exception {
        awaitHealthy();
        String good = archives.serve("good.zip", TestArchives.good());
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("zip slip", new String[]{archives.serve("slip.zip", TestArchives.zipSlip()), "URL", "zip slip"});
        cases.put("link", new String[]{archives.serve("link.zip", TestArchives.symlink()), "URL", "symbolic link"});
        cases.put("two folders", new String[]{archives.serve("two.zip", TestArchives.twoFolders()), "URL",
                "exactly one extension folder"});
        cases.put("id mismatch", new String[]{archives.serve("mismatch.zip", TestArchives.idMismatch()), "URL",
                "differs from its folder name"});
        cases.put("no jar", new String[]{archives.serve("nojar.zip", TestArchives.noJar()), "URL", "no jar"});
        cases.put("too large", new String[]{archives.serve("large.zip",
                TestArchives.tooLarge((int) SidecarAgentProfile.MAX_ARCHIVE_BYTES)), "URL", "too large"});
        cases.put("unreachable", new String[]{archives.unservedUrl(), "URL", "HTTP 404"});
        cases.put("file scheme", new String[]{"file:///etc/hostname", "URL", "scheme 'file' is not allowed"});
        cases.put("ftp scheme", new String[]{"ftp://127.0.68.250/x.zip", "URL", "scheme 'ftp' is not allowed"});
        for (var c : cases.entrySet()) {
            CommandResult r = check(SidecarPlans.ADD_EXTENSION, Map.of("URL", c.getValue()[0]));
            assertRefused(c.getKey(), r, c.getValue()[1], c.getValue()[2]);
            // apply refuses the same way: a node never trusts that the check ran
            CommandResult applied = apply(SidecarPlans.ADD_EXTENSION, Map.of("URL", c.getValue()[0]));
            assertRefused(c.getKey() + " (apply)", applied, c.getValue()[1], c.getValue()[2]);
        }
        assertRefused("checksum", check(SidecarPlans.ADD_EXTENSION, Map.of("URL", good, "SHA256", "0".repeat(64))),
                "SHA256", "checksum mismatch");
        assertRefused("license path", check(SidecarPlans.ADD_LICENSE, Map.of("LICENSE", "YWJj",
                "LICENSE_NAME", "../x.lic")), "LICENSE_NAME", "without a path");
        assertRefused("bad base64", check(SidecarPlans.ADD_LICENSE, Map.of("LICENSE", "not base64!",
                "LICENSE_NAME", "x.lic")), "LICENSE", "base64");
        assertRefused("dotdot", check(SidecarPlans.ADD_CONFIG, Map.of("PATH", ID + "/../../conf/config.xml",
                "FILE_CONTENT", "YQ==")), "PATH", "leaves");
        assertRefused("absolute", check(SidecarPlans.ADD_CONFIG, Map.of("PATH", "/etc/passwd",
                "FILE_CONTENT", "YQ==")), "PATH", "absolute");
        assertRefused("no such extension", check(SidecarPlans.DISABLE_EXTENSION, Map.of("EXTENSION", "nope")),
                "EXTENSION", "does not exist");
        assertRefused("missing", check(SidecarPlans.ADD_EXTENSION, Map.of()), "URL", "missing");
        assertRefused("unknown", check(SidecarPlans.ADD_EXTENSION, Map.of("URL", good, "COLOR", "red")),
                "COLOR", "unknown parameter");
        assertEquals(List.of("hivemq-suite-extension"), extensionFolders(), "nothing was installed");
        assertTrue(check(SidecarPlans.ADD_EXTENSION, Map.of("URL", good)).ok());
    }

    @Test
    @Order(2)
    void addExtensionRestartsTheBrokerAndTheExtensionRuns() throws Exception {
        assertEquals(Optional.empty(), greeting(), "no greeting before the extension is there");
        byte[] zip = TestArchives.good();
        String url = archives.serve("good.zip", zip);
        int startsBefore = status().brokerStarts();
        CommandResult r = apply(SidecarPlans.ADD_EXTENSION, Map.of("URL", url, "SHA256", ArchiveFetcher.sha256(zip)));
        assertTrue(r.ok(), r.message());
        assertTrue(status().brokerStarts() > startsBefore, "the broker was restarted to load the extension");
        assertEquals(Optional.of("hello"), greeting());
        assertTrue(Files.isRegularFile(EXTENSIONS.resolve(ID).resolve("hivemq-extension.xml")));
    }

    @Test
    @Order(3)
    void addConfigWritesTheExactBytesAndTheExtensionReadsThem() throws Exception {
        byte[] content = "bonjour\n".getBytes(StandardCharsets.UTF_8);
        CommandResult r = apply(SidecarPlans.ADD_CONFIG, Map.of("PATH", ID + "/conf/greeting.txt",
                "FILE_CONTENT", Base64.getEncoder().encodeToString(content)));
        assertTrue(r.ok(), r.message());
        assertArrayEquals(content, Files.readAllBytes(EXTENSIONS.resolve(ID).resolve("conf/greeting.txt")));
        assertEquals(Optional.of("bonjour"), greeting());
    }

    @Test
    @Order(4)
    void aSymlinkedParentIsRefused() throws Exception {
        Path outside = Files.createDirectories(SidecarAgentProfile.BASE.resolve("outside"));
        Path link = EXTENSIONS.resolve(ID).resolve("linked");
        Files.createSymbolicLink(link, outside);
        try {
            assertRefused("symlinked parent", check(SidecarPlans.ADD_CONFIG, Map.of("PATH", ID + "/linked/x.txt",
                    "FILE_CONTENT", "YQ==")), "PATH", "symbolic link");
            assertRefused("symlinked parent (apply)", apply(SidecarPlans.ADD_CONFIG, Map.of("PATH",
                    ID + "/linked/x.txt", "FILE_CONTENT", "YQ==")), "PATH", "symbolic link");
            assertFalse(Files.exists(outside.resolve("x.txt")));
        } finally {
            Files.delete(link);
        }
    }

    @Test
    @Order(5)
    void disableThenEnable() throws Exception {
        CommandResult r = apply(SidecarPlans.DISABLE_EXTENSION, Map.of("EXTENSION", ID));
        assertTrue(r.ok(), r.message());
        assertTrue(Files.exists(EXTENSIONS.resolve(ID).resolve("DISABLED")));
        assertEquals(Optional.empty(), greeting());
        r = apply(SidecarPlans.ENABLE_EXTENSION, Map.of("EXTENSION", ID));
        assertTrue(r.ok(), r.message());
        assertFalse(Files.exists(EXTENSIONS.resolve(ID).resolve("DISABLED")));
        assertEquals(Optional.of("bonjour"), greeting());
    }

    @Test
    @Order(6)
    void addLicenseWritesTheFileAtomically() throws Exception {
        byte[] license = "license-bytes\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        CommandResult r = apply(SidecarPlans.ADD_LICENSE, Map.of("LICENSE",
                Base64.getMimeEncoder().encodeToString(license), "LICENSE_NAME", "new_license"));
        assertTrue(r.ok(), r.message());
        // named as in the user guide's example; HiveMQ reads only *.lic, so the suffix is added
        assertArrayEquals(license, Files.readAllBytes(HOME.resolve("license/new_license.lic")));
        try (var files = Files.list(HOME.resolve("license"))) {
            assertEquals(List.of("new_license.lic"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temp file left");
        }
    }

    @Test
    @Order(7)
    void anExtensionThatFailsToStartIsUndone() throws Exception {
        String url = archives.serve("failing.zip", TestArchives.failingAtStart());
        CommandResult r = apply(SidecarPlans.ADD_EXTENSION, Map.of("URL", url));
        assertFalse(r.ok(), "a failing extension must fail the command: " + r.message());
        assertTrue(r.message().contains("undone"), r.message());
        // the previous, working copy is back and runs
        assertFalse(Files.exists(EXTENSIONS.resolve(ID).resolve("DISABLED")));
        assertArrayEquals("bonjour\n".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(EXTENSIONS.resolve(ID).resolve("conf/greeting.txt")));
        assertEquals(Optional.of("bonjour"), greeting());
        assertEquals(NodeState.HEALTHY, status().state());
    }

    @Test
    @Order(8)
    void aRepeatedCommandIdIsNotExecutedTwice() throws Exception {
        String id = "repeat-" + UUID.randomUUID();
        int starts = status().brokerStarts();
        CommandResult first = apply(id, SidecarPlans.DISABLE_EXTENSION, Map.of("EXTENSION", ID));
        assertTrue(first.ok(), first.message());
        Files.delete(EXTENSIONS.resolve(ID).resolve("DISABLED"));
        CommandResult again = apply(id, SidecarPlans.DISABLE_EXTENSION, Map.of("EXTENSION", ID));
        assertEquals(first.message(), again.message());
        assertFalse(Files.exists(EXTENSIONS.resolve(ID).resolve("DISABLED")), "the second send changed nothing");
        assertEquals(starts + 1, status().brokerStarts());
        Files.writeString(EXTENSIONS.resolve(ID).resolve("DISABLED"), "");
    }

    @Test
    @Order(9)
    void deleteRemovesTheFolder() throws Exception {
        apply(SidecarPlans.ENABLE_EXTENSION, Map.of("EXTENSION", ID));
        assertEquals(Optional.of("bonjour"), greeting());
        CommandResult r = apply(SidecarPlans.DELETE_EXTENSION, Map.of("EXTENSION", ID));
        assertTrue(r.ok(), r.message());
        assertFalse(Files.exists(EXTENSIONS.resolve(ID)));
        assertEquals(Optional.empty(), greeting());
        assertEquals(List.of("hivemq-suite-extension"), extensionFolders());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static void assertRefused(String what, CommandResult r, String field, String reason) {
        assertFalse(r.ok(), what + " must be refused");
        assertEquals(field, r.data().get(SidecarPlans.FIELD), what + ": " + r.message());
        assertTrue(r.message().contains(reason), what + ": '" + r.message() + "' should say '" + reason + "'");
    }

    private static List<String> extensionFolders() throws Exception {
        try (var files = Files.list(EXTENSIONS)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static CommandResult check(String plan, Map<String, String> params) throws Exception {
        Map<String, String> p = new HashMap<>(params);
        p.put(SidecarPlans.PLAN_PARAM, plan);
        return request(new NodeCommand("check-" + UUID.randomUUID(), SidecarPlans.CHECK_COMMAND, p), 30);
    }

    private static CommandResult apply(String plan, Map<String, String> params) throws Exception {
        return apply("apply-" + UUID.randomUUID(), plan, params);
    }

    /** Repeats the command id until the node's answer is final, as sidecar-svc does. */
    private static CommandResult apply(String id, String plan, Map<String, String> params) throws Exception {
        Map<String, String> p = new HashMap<>(params);
        p.put(SidecarPlans.PLAN_PARAM, plan);
        NodeCommand command = new NodeCommand(id, SidecarPlans.APPLY_COMMAND, p);
        return await("a final answer to " + plan).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> request(command, 5),
                        r -> r != null && !SidecarPlans.RUNNING.equals(r.data().get(SidecarPlans.STATE)));
    }

    private static synchronized CommandResult request(NodeCommand command, int seconds) throws Exception {
        Mqtt5BlockingClient c = control();
        String replies = ControlTopics.replies(SERVICE, "sidecar-test");
        answers.remove(command.id());
        // Sent again every 3 s without an answer, as sidecar-svc does; 500 ms after a failed send (broker
        // restarting: the client reconnects on its own).
        AtomicLong nextSend = new AtomicLong();
        try {
            return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(50)).until(() -> {
                long now = System.currentTimeMillis();
                if (now >= nextSend.get()) {
                    try {
                        c.publishWith().topic(ControlTopics.commands(SERVICE, 0)).qos(MqttQos.AT_LEAST_ONCE)
                                .responseTopic(replies).correlationData(command.id().getBytes(StandardCharsets.UTF_8))
                                .payload(ControlJson.write(command)).send();
                        nextSend.set(now + 3000);
                    } catch (RuntimeException e) {
                        nextSend.set(now + 500);
                    }
                }
                return answers.get(command.id());
            }, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    private static Mqtt5BlockingClient control() {
        if (control == null) {
            control = MqttClient.builder().useMqttVersion5().identifier("sidecar-test")
                    .serverHost(SidecarAgentProfile.ADDRESS).serverPort(1883)
                    .simpleAuth().username(InternalCredential.USERNAME)
                    .password(SidecarAgentProfile.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .automaticReconnect().initialDelay(200, TimeUnit.MILLISECONDS).maxDelay(2, TimeUnit.SECONDS)
                    .applyAutomaticReconnect()
                    .addConnectedListener(ctx -> control.toAsync().subscribeWith()
                            .topicFilter(ControlTopics.replies(SERVICE, "sidecar-test")).send())
                    .buildBlocking();
            control.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
                CommandResult r = ControlJson.read(p.getPayloadAsBytes(), CommandResult.class);
                answers.put(r.commandId(), r);
            });
            control.connectWith().cleanStart(true).send();
        }
        return control;
    }

    private static NodeStatus status() throws Exception {
        CommandResult r = request(new NodeCommand("status-" + UUID.randomUUID(), NodeCommand.STATUS, Map.of()), 30);
        return new NodeStatus(0, "hivemq-0", "", NodeState.valueOf(r.data().get("state")), 0,
                Integer.parseInt(r.data().get("brokerStarts")), Map.of(), r.data().get("message"), 0);
    }

    private static void awaitHealthy() throws Exception {
        await("node healthy").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions() // not connected yet
                .until(() -> status().state() == NodeState.HEALTHY);
    }

    /** Publishes as an ordinary MQTT user and reads the greeting user property the test extension adds, if any. */
    private static Optional<String> greeting() throws Exception {
        Mqtt5BlockingClient user = MqttClient.builder().useMqttVersion5().identifier("user-" + UUID.randomUUID())
                .serverHost(SidecarAgentProfile.ADDRESS).serverPort(1883).buildBlocking();
        await("an MQTT user connects").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions().until(() -> {
                    user.connect();
                    return true;
                });
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = user.publishes(MqttGlobalPublishFilter.ALL)) {
            user.subscribeWith().topicFilter("greet/test").qos(MqttQos.AT_LEAST_ONCE).send();
            user.publishWith().topic("greet/test").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[]{1}).send();
            Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            return received.getUserProperties().asList().stream()
                    .filter(p -> p.getName().toString().equals("greeting"))
                    .map(p -> p.getValue().toString()).findFirst();
        } finally {
            user.disconnect();
        }
    }

}
