package io.hivemqsuite.systemtest;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.hivemqsuite.mesosdouble.DoubleOptions;
import io.hivemqsuite.mesosdouble.MesosMasterDouble;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mesos mode end to end, as a user drives it: the CLI installs a 2-node service whose scheduler subscribes to the
 * Mesos master double (4 simulated agents on 127.0.239.x); the nodes run as Mesos tasks, real node agents and
 * HiveMQ brokers on their agents' addresses, on reserved resources and persistent volumes. One install serves
 * every step (cross-node pub/sub, pod restart, scheduler kill -9, pod replace, master failover and agent lost
 * through the double's admin API); the last one uninstalls.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesosModeSystemTest {
    private static final String NAME = "mesosst";
    private static final Duration NODE_WAIT = Duration.ofMinutes(3);

    private static Path work;
    private static MesosMasterDouble master;
    private static TestCluster cluster;
    private static InstalledService service;

    @BeforeAll
    static void install() throws IOException {
        work = Files.createTempDirectory("hivemq-suite-st-mesos-").toAbsolutePath();
        master = MesosMasterDouble.start(DoubleOptions.of(4, work.resolve("double")).withAgentNetwork("127.0.239")
                .withHeartbeatInterval(Duration.ofSeconds(2)));
        cluster = new TestCluster("hivemq-suite-st-mesos-home-");
        service = cluster.install(NAME, "{\"service\":{\"name\":\"" + NAME + "\",\"mode\":\"mesos\",\"mesos_master\":\""
                + master.url() + "\"},\"node\":{\"count\":2,\"heap\":128,\"mem\":512}}");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            master.close();
            SuiteProcesses.killAll(work.toString());
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static MesosMasterDouble.TaskView task(String podName) {
        return master.tasks().stream().filter(t -> t.name().equals(podName + "-node")).findFirst().orElseThrow();
    }

    private static String volume(String podName) {
        return master.reservations().stream().filter(r -> r.persistenceId() != null
                && podName.equals(r.labels().get("hivemq_suite_pod"))).map(MesosMasterDouble.Reserved::persistenceId)
                .findFirst().orElse(null);
    }

    private static NodeStatus status(String host) {
        String body = given().header("Authorization", "Bearer " + service.internalCredential())
                .get("http://" + host + ":9100/v1/node/status").then().statusCode(200).extract().asString();
        return ControlJson.read(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), NodeStatus.class);
    }

    private static void awaitHealthy(String podName) {
        Poll.until(NODE_WAIT, podName + " RUNNING and HEALTHY", () -> {
            MesosMasterDouble.TaskView t = task(podName);
            return t.state().equals("TASK_RUNNING") && status(t.agent()).healthy();
        });
        Poll.until(NODE_WAIT, "deploy COMPLETE", () -> service.get("/v1/plans/deploy").statusCode() == 200);
    }

    /** The admin API of the double, as an operator (or a chaos tool) would call it; answers the body. */
    private static String admin(String path) {
        return given().post(master.url() + path).then().statusCode(200).extract().asString().trim();
    }

    /**
     * A message published on one node reaches a subscriber on another: the two nodes route to each other, which
     * they only can once the scheduler told each of them the other's agent address. Publishes until one arrives
     * (the peer tables may still be on their way), then checks that a second one arrives too.
     */
    private static void crossNodePubSub(String publishOn, String subscribeOn) throws Exception {
        String topic = "mesos/across/" + publishOn + "/" + subscribeOn;
        try (OutsideClient sub = OutsideClient.connect(subscribeOn, 1883, "across-sub-" + subscribeOn);
             OutsideClient pub = OutsideClient.connect(publishOn, 1883, "across-pub-" + publishOn)) {
            sub.subscribe(topic, 1);
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            Poll.until(NODE_WAIT, "a message from " + publishOn + " at the subscriber on " + subscribeOn, () -> {
                pub.publish(topic, "try " + sent.incrementAndGet(), false);
                return sub.nextOn(topic, 1_000);
            });
            assertTrue(pub.publish(topic, "again", false) < 0x80);
            OutsideClient.Received again = Poll.until(Duration.ofSeconds(10), "the second message",
                    () -> sub.all().stream().filter(m -> m.payload().equals("again")).findFirst().orElse(null));
            assertEquals(topic, again.topic());
        }
    }

    @Test
    @Order(1)
    void deployRunsEveryNodeAsAMesosTaskOnItsOwnAgentReachableThere() throws Exception {
        service.get("/v1/plans/deploy").then().statusCode(200);
        List<MesosMasterDouble.TaskView> tasks = master.tasks();
        assertEquals(2, tasks.size(), tasks.toString());
        assertTrue(tasks.stream().allMatch(t -> t.state().equals("TASK_RUNNING")), tasks.toString());
        Set<String> agents = tasks.stream().map(MesosMasterDouble.TaskView::agent).collect(Collectors.toSet());
        assertEquals(2, agents.size(), "one node per agent: " + tasks);
        // the scheduler's endpoints name the agents' addresses
        String endpoints = service.get("/v1/endpoints/mqtt").then().statusCode(200).extract().asString();
        for (String agent : agents) {
            assertTrue(endpoints.contains(agent + ":1883"), endpoints);
        }
        // a real broker answers MQTT on each agent's address
        for (String agent : agents) {
            try (OutsideClient sub = OutsideClient.connect(agent, 1883, "sub-" + agent);
                 OutsideClient pub = OutsideClient.connect(agent, 1883, "pub-" + agent)) {
                sub.subscribe("mesos/" + agent, 1);
                assertEquals(0, pub.publish("mesos/" + agent, "hello " + agent, false));
                OutsideClient.Received got = sub.nextOn("mesos/" + agent, 10_000);
                assertNotNull(got, "message on " + agent);
            }
        }
        assertEquals(List.of(), master.refusals(), "the master refused nothing");
    }

    @Test
    @Order(2)
    void aMessagePublishedOnOneNodeReachesASubscriberOnTheOtherNodesAgent() throws Exception {
        String node0 = task("hivemq-0").agent();
        String node1 = task("hivemq-1").agent();
        assertNotEquals(node0, node1);
        crossNodePubSub(node0, node1);
        crossNodePubSub(node1, node0);
        // each node's peer table names the other at its agent's address, as the scheduler placed it
        assertEquals(node1 + ":1883", status(node0).peers().get("1"), status(node0).peers().toString());
        assertEquals(node0 + ":1883", status(node1).peers().get("0"), status(node1).peers().toString());
    }

    @Test
    @Order(3)
    void podRestartRelaunchesOnTheSameReservationAndVolumeKeepingRetainedMessagesAndSessions() throws Exception {
        MesosMasterDouble.TaskView before = task("hivemq-0");
        String volumeBefore = volume("hivemq-0");
        // a persistent session with a subscription, gone offline: the message published next is queued for it
        Mqtt5BlockingClient session = sessionClient(before.agent());
        session.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        session.subscribeWith().topicFilter("mesos/session").qos(MqttQos.AT_LEAST_ONCE).send();
        session.disconnect();
        try (OutsideClient pub = OutsideClient.connect(before.agent(), 1883, "retainer")) {
            int code = pub.publish("mesos/retained", "kept", true);
            // 0x10 "no matching subscribers" is a success: nobody listens yet, the message is retained
            assertTrue(code < 0x80, "PUBACK reason " + code);
            code = pub.publish("mesos/session", "queued", false);
            assertTrue(code < 0x80, "PUBACK reason " + code);
        }
        Cli.Result restart = cluster.run("--name", NAME, "pod", "restart", "hivemq-0");
        assertEquals(0, restart.exitCode(), restart.toString());
        Poll.until(NODE_WAIT, "a new task of hivemq-0", () -> !task("hivemq-0").id().equals(before.id()));
        awaitHealthy("hivemq-0");
        MesosMasterDouble.TaskView after = task("hivemq-0");
        assertEquals(before.agent(), after.agent(), "same agent");
        assertEquals(volumeBefore, volume("hivemq-0"), "same persistent volume");
        try (OutsideClient sub = OutsideClient.connect(after.agent(), 1883, "reader")) {
            sub.subscribe("mesos/retained", 1);
            OutsideClient.Received got = sub.nextOn("mesos/retained", 10_000);
            assertNotNull(got, "the retained message survived the restart on the volume");
        }
        Mqtt5BlockingClient back = sessionClient(after.agent());
        try (Mqtt5BlockingClient.Mqtt5Publishes got = back.publishes(MqttGlobalPublishFilter.ALL)) {
            boolean present = back.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent();
            assertTrue(present, "the persistent session survived the restart on the volume");
            String queued = got.receive(10, TimeUnit.SECONDS)
                    .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).orElse(null);
            assertEquals("queued", queued, "the message queued for the offline session is delivered after the restart");
        } finally {
            back.disconnect();
        }
    }

    private static Mqtt5BlockingClient sessionClient(String agentHost) {
        return Mqtt5Client.builder().identifier("mesos-session").serverHost(agentHost).serverPort(1883)
                .buildBlocking();
    }

    @Test
    @Order(4)
    void aKilledSchedulerResubscribesWithTheSameFrameworkIdAndLaunchesNoDuplicate() {
        MesosMasterDouble.FrameworkView framework = master.frameworks().get(0);
        List<String> taskIds = master.tasks().stream().map(MesosMasterDouble.TaskView::id).sorted().toList();
        List<SuiteProcesses.Proc> schedulers = SuiteProcesses.withRole(cluster.home.toString(), SuiteProcesses.Role.SCHEDULER);
        assertEquals(1, schedulers.size(), schedulers.toString());
        ProcessHandle.of(schedulers.get(0).pid()).ifPresent(ProcessHandle::destroyForcibly);

        Poll.until(NODE_WAIT, "the restarted scheduler subscribed again", () -> {
            MesosMasterDouble.FrameworkView f = master.frameworks().get(0);
            return f.subscriptions() > framework.subscriptions() && f.connected();
        });
        Poll.until(NODE_WAIT, "the restarted scheduler answers", () -> service.get("/v1/plans/deploy").statusCode() == 200);
        assertEquals(1, master.frameworks().size());
        assertEquals(framework.id(), master.frameworks().get(0).id(), "same FrameworkID");
        assertEquals(taskIds, master.tasks().stream().map(MesosMasterDouble.TaskView::id).sorted().toList(),
                "the same tasks, no duplicate");
    }

    @Test
    @Order(5)
    void podReplaceDestroysTheOldVolumeAndReservationAndLaunchesAnew() {
        String volumeBefore = volume("hivemq-1");
        Cli.Result replace = cluster.run("--name", NAME, "pod", "replace", "hivemq-1");
        assertEquals(0, replace.exitCode(), replace.toString());
        Poll.until(NODE_WAIT, "hivemq-1 on a new volume", () -> volume("hivemq-1") != null
                && !volume("hivemq-1").equals(volumeBefore));
        awaitHealthy("hivemq-1");
        Poll.until(NODE_WAIT, "the old volume destroyed", () -> master.reservations().stream()
                .noneMatch(r -> volumeBefore.equals(r.persistenceId())));
        // two nodes, five reserved resources each (cpus, mem, executor disk, ports, volume): nothing left over
        Poll.until(NODE_WAIT, "only the two nodes' reservations", () -> master.reservations().size() == 10);
        assertNotEquals(volumeBefore, volume("hivemq-1"));
    }

    @Test
    @Order(6)
    void masterFailoverTheSchedulerFollowsTheNewLeaderWithTheSameFrameworkIdAndNoDuplicateTask() throws Exception {
        String oldLeader = master.url();
        MesosMasterDouble.FrameworkView framework = master.frameworks().get(0);
        List<String> taskIds = master.tasks().stream().map(MesosMasterDouble.TaskView::id).sorted().toList();
        String newLeader = admin("/admin/failover");
        assertNotEquals(oldLeader, newLeader);
        // the old master now sends every scheduler call to the new leader
        io.restassured.response.Response redirect = given().redirects().follow(false)
                .contentType("application/x-protobuf").body(new byte[0]).post(oldLeader + "/api/v1/scheduler");
        assertEquals(307, redirect.statusCode());
        assertTrue(newLeader.endsWith(redirect.header("Location").replace("/api/v1/scheduler", "")),
                redirect.header("Location") + " names " + newLeader);

        Poll.until(NODE_WAIT, "the scheduler subscribed at the new leader", () -> {
            MesosMasterDouble.FrameworkView f = master.frameworks().get(0);
            return f.subscriptions() > framework.subscriptions() && f.connected();
        });
        assertEquals(1, master.frameworks().size());
        assertEquals(framework.id(), master.frameworks().get(0).id(), "same FrameworkID");
        Poll.holds(Duration.ofSeconds(5), () -> assertEquals(taskIds,
                master.tasks().stream().map(MesosMasterDouble.TaskView::id).sorted().toList(), "no duplicate task"));
        service.get("/v1/plans/deploy").then().statusCode(200);
        crossNodePubSub(task("hivemq-0").agent(), task("hivemq-1").agent());
    }

    @Test
    @Order(7)
    void aLostAgentsNodeIsRelaunchedOnAnotherAgentAndRejoinsTheLogicalCluster() throws Exception {
        MesosMasterDouble.TaskView before = task("hivemq-0");
        String other = task("hivemq-1").agent();
        admin("/admin/agents/" + before.agent() + "/lose");

        Poll.until(NODE_WAIT, "hivemq-0 relaunched on another agent", () -> {
            MesosMasterDouble.TaskView t = master.tasks().stream().filter(x -> x.name().equals("hivemq-0-node")
                    && x.state().equals("TASK_RUNNING")).findFirst().orElse(null);
            return t != null && !t.agent().equals(before.agent()) && !t.agent().equals(other);
        });
        awaitHealthy("hivemq-0");
        String moved = task("hivemq-0").agent();
        String endpoints = service.get("/v1/endpoints/mqtt").then().statusCode(200).extract().asString();
        assertTrue(endpoints.contains(moved + ":1883") && !endpoints.contains(before.agent() + ":1883"), endpoints);
        // the node is part of the logical cluster again, both ways
        crossNodePubSub(moved, other);
        crossNodePubSub(other, moved);
        assertTrue(master.reservations().stream().noneMatch(r -> r.agent().equals(before.agent())));
    }

    @Test
    @Order(8)
    void uninstallLeavesNothingReservedAndNoProcess() {
        String frameworkId = master.frameworks().get(0).id();
        Cli.Result uninstall = cluster.run("--name", NAME, "uninstall");
        assertEquals(0, uninstall.exitCode(), uninstall.toString());
        assertEquals(List.of(), master.reservations(), "nothing reserved");
        assertTrue(master.removedFrameworks().contains(frameworkId), "framework torn down");
        Poll.until(Duration.ofSeconds(60), "no task process left", () -> SuiteProcesses.containing(work.toString()).isEmpty());
        assertEquals(List.of(), SuiteProcesses.containing(cluster.home.toString()));
        assertEquals(List.of(), master.refusals(), "the master refused nothing");
    }
}
