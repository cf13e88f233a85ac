package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import io.hivemqsuite.systemtest.SuiteProcesses.Proc;
import io.hivemqsuite.systemtest.SuiteProcesses.Role;
import io.restassured.response.Response;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One 3-node cluster, installed once by the real CLI, shared by every test here (2 cores: one install is
 * the expensive part). Tests run in order; the last one uninstalls. Whatever happens, {@link #cleanUp()}
 * leaves no process of this test's suite home behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterSystemTest {
    private static final String SERVICE = "hivemq";
    private static final int NODES = 3;
    private static final int MQTT_PORT = 1883;
    private static final Path LOGS = Path.of("target", "system-test-logs");

    private Path home;
    private Cli cli;
    private Cli.Result install;
    private InstalledService service;

    @BeforeAll
    void installCluster() throws IOException {
        home = Files.createTempDirectory("hivemq-suite-st-").toAbsolutePath();
        cli = new Cli(home);
        Path options = Files.writeString(home.resolveSibling(home.getFileName() + "-options.json"),
                "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": " + NODES
                        + ", \"mem\": 512, \"heap\": 128}}");
        install = cli.run(Duration.ofMinutes(6), "install", "--options", options.toString(), "--timeout", "300",
                "--timings");
        Files.deleteIfExists(options);
        if (Files.isRegularFile(home.resolve(SERVICE).resolve("scheduler.json"))) {
            service = InstalledService.read(home, SERVICE);
        }
    }

    @AfterAll
    void cleanUp() throws IOException {
        try {
            if (service != null) {
                service.keepLogs(LOGS.resolve("cluster"));
            }
            if (Files.isDirectory(home.resolve(SERVICE))) {
                cli.run(Duration.ofMinutes(2), "uninstall");
            }
        } finally {
            SuiteProcesses.killAll(home.toString());
            deleteTree(home);
        }
    }

    private InstalledService installed() {
        assertEquals(0, install.exitCode(), "install failed:\n" + install);
        assertNotNull(service, "no scheduler.json after install");
        return service;
    }

    @Test
    @Order(1)
    void installDeploysThreeNodesAndPrintsEndpoints() {
        InstalledService svc = installed();
        for (int i = 0; i < NODES; i++) {
            String address = svc.layout().nodeAddress(i) + ":" + MQTT_PORT;
            assertTrue(install.out().contains(address), "install prints endpoint " + address + ":\n" + install);
            assertTrue(install.out().contains("hivemq-" + i + ":[node]"), "install follows the step of node " + i);
        }

        Response plan = svc.get("/v1/plans/deploy");
        assertEquals(200, plan.statusCode(), plan.asString());
        assertEquals("COMPLETE", plan.jsonPath().getString("status"));
        assertEquals(401, svc.getWithoutToken("/v1/plans/deploy").statusCode(), "the API requires the token");

        Cli.Result status = cli.run("plan", "status", "deploy");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().startsWith("deploy"), status.out());
        assertTrue(status.out().lines().findFirst().orElse("").endsWith("(COMPLETE)"), status.out());
        for (int i = 0; i < NODES; i++) {
            assertTrue(status.out().contains("hivemq-" + i + ":[node] (COMPLETE"), status.out());
        }

        Cli.Result pods = cli.run("pod", "list");
        assertEquals(0, pods.exitCode(), pods.toString());
        assertEquals(List.of("hivemq-0", "hivemq-1", "hivemq-2"), svc.get("/v1/pod").jsonPath().getList("$"));
        for (int i = 0; i < NODES; i++) {
            assertTrue(pods.out().contains("\"hivemq-" + i + "\""), pods.out());
        }

        Cli.Result mqtt = cli.run("endpoints", "mqtt", "--json");
        assertEquals(0, mqtt.exitCode(), mqtt.toString());
        assertTrue(mqtt.out().contains(svc.layout().nodeAddress(2) + ":" + MQTT_PORT), mqtt.out());

        assertEquals(NODES, processes(Role.AGENT).size(), "one node agent per node");
        assertEquals(NODES, processes(Role.BROKER).size(), "one broker per node");
    }

    /** --timings: one timeline from the CLI's start to COMPLETE, each node's broker started before the end. */
    @Test
    @Order(1)
    void installTimingsShowEachBrokerStartBeforeComplete() {
        installed();
        String out = install.out();
        int timeline = out.indexOf("Timeline (ms since the CLI's JVM started):");
        assertTrue(timeline >= 0, "install --timings prints a timeline:\n" + install);
        List<String> lines = out.substring(timeline).lines().skip(1).filter(l -> !l.isBlank()).toList();
        assertTrue(lines.get(0).contains("JVM started"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains("deploy COMPLETE"), "COMPLETE comes last: " + lines);
        for (String service : List.of("scheduler", "endpoint-svc", "sidecar-svc", "metrics-svc")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(service) && l.contains("Quarkus started")),
                    service + " start is on the timeline: " + lines);
        }
        long previous = -1;
        for (String line : lines) {
            long at = Long.parseLong(line.trim().split("\\s+")[0]);
            assertTrue(at >= previous, "in time order: " + lines);
            previous = at;
        }
        for (int i = 0; i < NODES; i++) {
            String broker = "hivemq-" + i + " broker";
            assertTrue(lines.stream().anyMatch(l -> l.contains(broker) && l.contains("Started HiveMQ")),
                    "node " + i + "'s broker start is on the timeline: " + lines);
        }
    }

    @Test
    @Order(2)
    void everyNodeDeliversQos1Messages() throws Exception {
        InstalledService svc = installed();
        for (int i = 0; i < NODES; i++) {
            assertRoundTrip(svc.layout().nodeAddress(i), "node-" + i);
        }
    }

    @Test
    @Order(3)
    void outsideClientsNeitherSeeNorForgeControlTraffic() throws Exception {
        InstalledService svc = installed();
        String host = svc.layout().nodeAddress(0);
        String statusTopic = ControlTopics.status(SERVICE, 0);
        String forged = "forged-" + UUID.randomUUID();

        try (OutsideClient internalObserver = OutsideClient.connect(host, MQTT_PORT, "st-internal-observer",
                InternalCredential.USERNAME, svc.internalCredential());
             OutsideClient snooper = OutsideClient.connect(host, MQTT_PORT, "st-snooper")) {
            internalObserver.subscribe(ControlTopics.ALL, 1);
            // the retained node status proves the observer really sees control traffic
            assertNotNull(internalObserver.nextOn(statusTopic, 10_000), "internal client gets the retained status");

            snooper.subscribe("#", 1);
            try (OutsideClient publisher = OutsideClient.connect(host, MQTT_PORT, "st-publisher")) {
                publisher.publish("systemtest/after", "visible", false);
            }
            assertNotNull(snooper.nextOn("systemtest/after", 10_000), "the # subscriber receives normal messages");
            assertTrue(snooper.all().stream().noneMatch(m -> ControlTopics.isControlTopic(m.topic())),
                    "no control traffic for an outside client: " + snooper.all());

            try (OutsideClient forger = OutsideClient.connect(host, MQTT_PORT, "st-forger")) {
                boolean refused;
                try {
                    int reason = forger.publish(statusTopic, forged, true);
                    refused = reason >= 0x80;
                    System.out.println("forged publish answered with PUBACK reason 0x" + Integer.toHexString(reason));
                } catch (MqttException e) {
                    refused = true;
                    System.out.println("forged publish failed: " + e);
                }
                if (!refused) {
                    // a broker may also answer the forgery by closing the connection right after the PUBACK
                    try {
                        Poll.until(Duration.ofSeconds(2), "the forger disconnected", () -> !forger.connected());
                        refused = true;
                    } catch (AssertionError stillConnected) {
                        refused = false;
                    }
                }
                assertTrue(refused, "a publish on the control prefix is refused");
            }
            // give a delivered forgery every chance to show up before we look
            try (OutsideClient publisher = OutsideClient.connect(host, MQTT_PORT, "st-publisher-2")) {
                publisher.publish("systemtest/after2", "visible", false);
            }
            assertNotNull(snooper.nextOn("systemtest/after2", 10_000));
            assertTrue(internalObserver.all().stream().noneMatch(m -> m.payload().contains(forged)),
                    "the forged status never reaches the suite's own clients");
            assertTrue(snooper.all().stream().noneMatch(m -> ControlTopics.isControlTopic(m.topic())));
        }
        assertEquals(NodeState.HEALTHY, svc.nodeStatus(0).state(), "the agent still reports its node fine");
    }

    @Test
    @Order(4)
    void aKilledBrokerIsRestartedByItsAgent() throws Exception {
        InstalledService svc = installed();
        int node = 1;
        NodeStatus before = Poll.until(Duration.ofSeconds(30), "node 1 healthy", () -> {
            NodeStatus status = svc.nodeStatus(node);
            return status.healthy() && status.brokerPid() > 0 ? status : null;
        });
        ProcessHandle broker = ProcessHandle.of(before.brokerPid()).orElseThrow();
        assertTrue(broker.destroyForcibly(), "kill -9 the broker");

        NodeStatus after = Poll.until(Duration.ofSeconds(90), "the agent to restart the broker", () -> {
            NodeStatus status = svc.nodeStatus(node);
            return status.healthy() && status.brokerPid() > 0 && status.brokerPid() != before.brokerPid() ? status : null;
        });
        assertTrue(after.brokerStarts() > before.brokerStarts(), "brokerStarts went up: " + before + " -> " + after);
        assertTrue(ProcessHandle.of(after.brokerPid()).isPresent(), "the new broker runs");
        assertRoundTrip(svc.layout().nodeAddress(node), "after-restart");
        Poll.until(Duration.ofSeconds(60), "pod hivemq-1 RUNNING and healthy again", () -> {
            Response pod = svc.get("/v1/pod/hivemq-1/status");
            String health = pod.jsonPath().getString("tasks[0].health");
            return pod.statusCode() == 200 && "RUNNING".equals(pod.jsonPath().getString("tasks[0].status"))
                    && (health == null || "HEALTHY".equals(health));
        });
        Cli.Result podStatus = cli.run("pod", "status", "hivemq-1");
        assertEquals(0, podStatus.exitCode(), podStatus.toString());
        assertTrue(podStatus.out().contains("hivemq-1-node (RUNNING, HiveMQ CE "
                + io.hivemqsuite.protocol.options.BrokerVersions.current() + ")"), podStatus.out());
        assertEquals(NODES, processes(Role.BROKER).size(), "still one broker per node");
    }

    @Test
    @Order(5)
    void aRestartedSchedulerReattachesWithoutDuplicates() throws Exception {
        InstalledService svc = installed();
        Set<Long> agentsBefore = pids(processes(Role.AGENT));
        List<Proc> schedulers = processes(Role.SCHEDULER).stream().filter(Proc::isJava).toList();
        assertEquals(1, schedulers.size(), "one scheduler: " + schedulers);
        long schedulerPid = schedulers.get(0).pid();

        assertTrue(ProcessHandle.of(schedulerPid).orElseThrow().destroyForcibly(), "kill -9 the scheduler");

        Poll.until(Duration.ofSeconds(120), "the supervisor to restart the scheduler", () -> {
            List<Proc> now = processes(Role.SCHEDULER).stream().filter(Proc::isJava).toList();
            return now.size() == 1 && now.get(0).pid() != schedulerPid
                    && svc.getWithoutToken("/q/health").statusCode() == 200;
        });
        Response plan = Poll.until(Duration.ofSeconds(120), "deploy plan COMPLETE after the restart", () -> {
            Response response = svc.get("/v1/plans/deploy");
            return response.statusCode() == 200 && "COMPLETE".equals(response.jsonPath().getString("status"))
                    ? response : null;
        });
        assertEquals("COMPLETE", plan.jsonPath().getString("status"));

        assertEquals(agentsBefore, pids(processes(Role.AGENT)), "the same node agents, none added");
        assertEquals(NODES, processes(Role.BROKER).size(), "exactly one broker per node");
        assertRoundTrip(svc.layout().nodeAddress(2), "after-scheduler-restart");
    }

    @Test
    @Order(99)
    void uninstallLeavesNothingBehind() {
        InstalledService svc = installed();
        svc.keepLogs(LOGS.resolve("cluster"));

        Cli.Result result = cli.run(Duration.ofMinutes(2), "uninstall");

        assertEquals(0, result.exitCode(), result.toString());
        // supervisor, scheduler, agents and brokers: nothing that names the suite home may survive
        assertEquals(List.of(), SuiteProcesses.containing(home.toString()), "no process of the service survives");
        assertFalse(Files.exists(svc.serviceDir()), "the service folder is removed");
        assertEquals(1, cli.run("plan", "list").exitCode(), "the service is gone for the CLI too");
    }

    private List<Proc> processes(Role role) {
        return SuiteProcesses.withRole(home.toString(), role);
    }

    private static Set<Long> pids(List<Proc> processes) {
        return processes.stream().map(Proc::pid).collect(Collectors.toSet());
    }

    /** A QoS 1 message published on a node reaches another client subscribed on the same node. */
    private static void assertRoundTrip(String host, String tag) throws Exception {
        String topic = "systemtest/" + tag + "/" + UUID.randomUUID();
        String payload = "hello " + tag;
        try (OutsideClient subscriber = Poll.until(Duration.ofSeconds(30), "MQTT on " + host,
                () -> OutsideClient.connect(host, MQTT_PORT, "st-sub-" + UUID.randomUUID()))) {
            subscriber.subscribe(topic, 1);
            try (OutsideClient publisher = OutsideClient.connect(host, MQTT_PORT, "st-pub-" + UUID.randomUUID())) {
                int reason = publisher.publish(topic, payload, false);
                assertTrue(reason < 0x80, "PUBACK reason 0x" + Integer.toHexString(reason));
            }
            OutsideClient.Received received = subscriber.nextOn(topic, 10_000);
            if (received == null) {
                fail("no message on " + topic + " at " + host);
            }
            assertEquals(payload, received.payload());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
