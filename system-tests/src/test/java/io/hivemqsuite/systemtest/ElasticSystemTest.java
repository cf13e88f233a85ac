package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.endpoint.ClientHome;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.systemtest.ClusterRoutingSystemTest.Client;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes joining and leaving the logical cluster live, driven through the CLI on one 3-node service, while QoS 1
 * publishers and persistent-session subscribers keep going through the VIP ({@link CountedTraffic}). {@code update
 * start} to 5 nodes makes every existing router link to the new nodes without a broker restart, and the update step of
 * a new node is COMPLETE only once all its links are up both ways, so right after it publishes flow both ways, the new
 * node has the retained messages set before it joined, and a shared group spanning an old and a new node gets each
 * message once. Back to 3 nodes, the {@code decommission} phase hands the leaving nodes' persistent sessions over to
 * their next homes before each stops: their subscribers come back with their session, and no subscriber misses a
 * message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticSystemTest {
    private static final String SERVICE = "elastic";

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-elastic-");
        service = cluster.install(SERVICE, options(3));
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    private static String options(int nodes) {
        return TestCluster.smallNodes(SERVICE, nodes);
    }

    @Test
    @Order(1)
    void scaleOutAndBackInUnderCountedLoadLosesNoMessage() throws Exception {
        try (CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress())) {
            traffic.publisher("el-pub-a");
            traffic.publisher("el-pub-b");
            for (int s = 0; s < 6; s++) {
                traffic.subscriber("el-sub-a" + s);
            }
            traffic.awaitAcknowledged(25);
            aNodeAddedByScaleOutJoinsTheLogicalClusterBothWaysBeforeItsStepIsComplete();

            // Clients whose VIP home is the new hivemq-3: they live there when it leaves again.
            List<String> onNew = homedOn(3, "el-sub-b", 3);
            for (String id : onNew) {
                traffic.subscriber(id);
            }
            traffic.subscriber(homedOn(1, "el-sub-b", 1).get(0));
            traffic.publisher(homedOn(3, "el-pub-c", 1).get(0));
            Poll.until(Duration.ofSeconds(30), "4 VIP clients on hivemq-3", () -> service.vipConnections(5)[3] >= 4);
            traffic.awaitAcknowledged(25);

            Path three = Files.writeString(cluster.home.resolve("options-3.json"), options(3));
            Cli.Result dryRun = cluster.run("--name", SERVICE, "update", "start", "--options", three.toString(),
                    "--dry-run");
            assertEquals(0, dryRun.exitCode(), dryRun.toString());
            assertTrue(dryRun.out().contains("hivemq-3 would leave") && dryRun.out().contains("hivemq-4 would leave"),
                    dryRun.toString());
            assertEquals(5, service.get("/v1/configurations/target").jsonPath().getInt("node.count"),
                    "a dry run changes nothing");

            String atStart = traffic.sentSoFar();
            JsonNode plan = scale(3);
            String atEnd = traffic.sentSoFar();
            JsonNode phase = plan.path("phases").get(0);
            assertEquals("decommission", phase.path("name").asText(), plan.toString());
            // highest index first: hivemq-4, then hivemq-3
            assertEquals("hivemq-4:[node]", phase.path("steps").get(0).path("name").asText(), plan.toString());
            JsonNode step = phase.path("steps").get(1);
            assertEquals("hivemq-3:[node]", step.path("name").asText(), plan.toString());
            java.util.regex.Matcher handed = java.util.regex.Pattern.compile("handed over (\\d+) persistent sessions")
                    .matcher(step.path("message").asText());
            assertTrue(handed.find(), "step message: " + step);
            assertTrue(Integer.parseInt(handed.group(1)) >= onNew.size(), "the sessions on hivemq-3 handed over: "
                    + step);
            assertTrue(Files.notExists(service.layout().nodeDir(3)) && Files.notExists(service.layout().nodeDir(4)),
                    "the leaving nodes' data folders released");
            Cli.Result pods = cluster.run("--name", SERVICE, "pod", "list");
            assertTrue(pods.out().contains("hivemq-2") && !pods.out().contains("hivemq-3")
                    && !pods.out().contains("hivemq-4"), pods.toString());
            Map<String, String> threeNodes = new TreeMap<>();
            for (int i = 0; i < 3; i++) {
                threeNodes.put(Integer.toString(i), node(i) + ":1883");
            }
            for (int i = 0; i < 3; i++) {
                int n = i;
                Poll.until(Duration.ofSeconds(10), "node " + i + " without hivemq-3",
                        () -> threeNodes.equals(service.nodeStatus(n).peers()));
            }

            traffic.awaitAcknowledged(50);
            System.out.println("sent when the scale-in started " + atStart + ", when it was COMPLETE " + atEnd
                    + "; longest time a client was without service " + traffic.longestGapMs() + " ms");
            StringBuilder report = traffic.assertNoLoss("3 -> 5 -> 3");
            for (CountedTraffic.Subscriber s : traffic.subscribers()) {
                if (onNew.contains(s.client.id)) {
                    assertTrue(s.sessionsKept.get() >= 1 && s.sessionsLost.get() == 0,
                            s.client.id + " moved off hivemq-3 and found its session at its new home: " + report);
                }
            }
        }
    }

    @Test
    @Order(2)
    void aKilledNodeAgentComesBackAdoptingItsBrokerAndNoMessageIsLost() throws Exception {
        Path folder = service.layout().nodeDir(1);
        try (CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress())) {
            traffic.publisher(homedOn(1, "el-ak-pub", 1, 3).get(0));
            traffic.publisher(homedOn(0, "el-ak-pub", 1, 3).get(0));
            List<String> onNode1 = homedOn(1, "el-ak-sub", 2, 3);
            for (String id : onNode1) {
                traffic.subscriber(id);
            }
            traffic.subscriber(homedOn(2, "el-ak-sub", 1, 3).get(0));
            traffic.awaitAcknowledged(25);

            List<SuiteProcesses.Proc> agents = SuiteProcesses.withRole(folder.toString(), SuiteProcesses.Role.AGENT);
            assertEquals(1, agents.size(), "one agent of hivemq-1: " + agents);
            long brokerBefore = service.nodeStatus(1).brokerPid();
            assertTrue(ProcessHandle.of(agents.get(0).pid()).orElseThrow().destroyForcibly(), "kill -9 the agent");
            long killedAt = System.nanoTime();

            // The broker was fine: the new agent adopts it, so its clients, sessions and links never notice.
            Poll.until(Duration.ofMinutes(2), "a new agent of hivemq-1, healthy, with the same broker", () -> {
                List<SuiteProcesses.Proc> now = SuiteProcesses.withRole(folder.toString(), SuiteProcesses.Role.AGENT);
                if (now.size() != 1 || now.get(0).pid() == agents.get(0).pid()) {
                    return false;
                }
                NodeStatus status = service.nodeStatus(1);
                return status.healthy() && status.brokerPid() == brokerBefore;
            });
            long backMs = (System.nanoTime() - killedAt) / 1_000_000;
            JsonNode recovery = planView("recovery");
            System.out.println("hivemq-1 healthy again " + backMs + " ms after its agent was killed: " + recovery);
            List<SuiteProcesses.Proc> brokers = SuiteProcesses.withRole(folder.toString(), SuiteProcesses.Role.BROKER);
            assertEquals(1, brokers.size(), "exactly one broker on hivemq-1's folder: " + brokers);
            assertEquals(brokerBefore, brokers.get(0).pid(), "the broker the killed agent left, adopted");
            assertEquals(3, service.nodeStatus(1).peers().size(), "the kept 3-node peer table: "
                    + service.nodeStatus(1).peers());

            StringBuilder report = traffic.assertNoLoss("agent of hivemq-1 killed");
            for (CountedTraffic.Subscriber sub : traffic.subscribers()) {
                assertEquals(0, sub.sessionsLost.get(), "no session lost: " + report);
            }
        }
    }

    @Test
    @Order(3)
    void aReplacedPodStartsFreshRejoinsAndGetsTheClustersRetainedMessages() throws Exception {
        Client setter = Client.connect(node(0), "el-rp-retain-setter", true);
        setter.publish("el/replace/before", "before-replace", 1, true);
        Path folder = service.layout().nodeDir(2);
        Path marker = Files.writeString(folder.resolve("hivemq").resolve("data").resolve("el-marker"), "old folder");
        long brokerBefore = service.nodeStatus(2).brokerPid();
        try (CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress())) {
            traffic.publisher(homedOn(0, "el-rp-pub", 1, 3).get(0));
            traffic.publisher(homedOn(2, "el-rp-pub", 1, 3).get(0));
            List<String> onNode2 = homedOn(2, "el-rp-sub", 2, 3);
            for (String id : onNode2) {
                traffic.subscriber(id);
            }
            traffic.subscriber(homedOn(1, "el-rp-sub", 1, 3).get(0));
            traffic.awaitAcknowledged(25);

            Cli.Result replace = cluster.run("--name", SERVICE, "pod", "replace", "hivemq-2");
            assertEquals(0, replace.exitCode(), replace.toString());
            setter.publish("el/replace/during", "while-replaced", 1, true);
            setter.close();
            Poll.until(Duration.ofMinutes(3), "hivemq-2 replaced and healthy", () -> {
                NodeStatus status = service.nodeStatus(2);
                return status.healthy() && status.brokerPid() != brokerBefore && status.brokerStarts() == 1;
            });
            System.out.println("after pod replace: " + planView("recovery"));
            assertTrue(Files.notExists(marker), "hivemq-2's folder was wiped: " + marker);

            Client late = Client.connect(node(2), "el-rp-retain-reader", true);
            try {
                late.subscribe("el/replace/#", 1);
                Poll.until(Duration.ofSeconds(20), "the cluster's retained messages on the replaced node",
                        () -> late.payloads("el/replace/before").contains("before-replace")
                                && late.payloads("el/replace/during").contains("while-replaced"));
            } finally {
                late.close();
            }

            // A fresh folder has no sessions: the clients whose home is hivemq-2 find none and subscribe again. What
            // was published between their disconnect and that new subscription was never owed to any session; the
            // test counts it and requires every other subscriber to have everything.
            traffic.stopPublishing();
            try {
                Poll.until(Duration.ofSeconds(60), "every other subscriber has everything", () -> traffic.subscribers()
                        .stream().filter(sub -> !onNode2.contains(sub.client.id)).allMatch(sub -> sub.missing().isEmpty()));
            } catch (AssertionError timedOut) {
                // said below
            }
            StringBuilder report = traffic.report();
            for (CountedTraffic.Subscriber sub : traffic.subscribers()) {
                if (onNode2.contains(sub.client.id)) {
                    assertTrue(sub.sessionsLost.get() >= 1, "a replaced node keeps no session: " + report);
                    System.out.println(sub.client.id + " missed " + sub.missing().size()
                            + " messages published while it had no session on the fresh node");
                } else {
                    assertEquals(List.of(), sub.missing(), "nothing lost for " + sub.client.id + "\n" + report);
                }
            }
            System.out.println("pod replace hivemq-2 under load, sent " + traffic.sentSoFar() + "\n" + report);
        }
    }

    /**
     * kill -9 of a broker: its agent sees the exit at once and starts a new broker on the same folder. Recovery (kill
     * to the node HEALTHY again) is held against the new broker's own cold start (its launch to HEALTHY): the
     * detection and the restart decision may add at most half of that.
     */
    @Test
    @Order(4)
    void aKilledBrokerIsRestartedInPlaceWithinOneAndAHalfTimesItsColdStartAndNoMessageIsLost() throws Exception {
        Path folder = service.layout().nodeDir(0);
        try (CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress())) {
            traffic.publisher(homedOn(0, "el-bk-pub", 1, 3).get(0));
            traffic.publisher(homedOn(1, "el-bk-pub", 1, 3).get(0));
            for (String id : homedOn(0, "el-bk-sub", 2, 3)) {
                traffic.subscriber(id);
            }
            traffic.subscriber(homedOn(2, "el-bk-sub", 1, 3).get(0));
            traffic.awaitAcknowledged(25);

            BrokerKill kill = BrokerKill.of(service, 0);
            System.out.println("broker of hivemq-0 killed: " + kill);
            NodeStatus back = kill.after();
            List<SuiteProcesses.Proc> brokers = SuiteProcesses.withRole(folder.toString(), SuiteProcesses.Role.BROKER);
            assertEquals(1, brokers.size(), "exactly one broker on hivemq-0's folder: " + brokers);
            assertEquals(back.brokerPid(), brokers.get(0).pid(), "restarted in place by its agent");
            assertEquals(kill.before().brokerStarts() + 1, back.brokerStarts(), "the same agent restarted it");
            assertTrue(kill.ratio() <= 1.5, "recovery more than 1.5 x the cold start: " + kill);

            traffic.assertNoLoss("broker of hivemq-0 killed");
        }
    }

    private void aNodeAddedByScaleOutJoinsTheLogicalClusterBothWaysBeforeItsStepIsComplete() throws Exception {
        Client setter = Client.connect(node(0), "el-retain-setter", true);
        for (int k = 0; k < 10; k++) {
            setter.publish("el/retained/" + k, "before-join-" + k, 1, true);
        }
        setter.close();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pids.add(service.nodeStatus(i).brokerPid());
        }

        JsonNode plan = scale(5);
        JsonNode steps = plan.path("phases").get(0).path("steps");
        for (int k = 0; k < 2; k++) {
            JsonNode step = steps.get(k);
            assertEquals("hivemq-" + (3 + k) + ":[node]", step.path("name").asText(), plan.toString());
            assertTrue(step.path("message").asText().contains("routing links up"), "step message: " + step);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(pids.get(i), service.nodeStatus(i).brokerPid(), "no broker restart on node " + i);
        }
        Map<String, String> fiveNodes = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            fiveNodes.put(Integer.toString(i), node(i) + ":1883");
        }
        for (int i = 0; i < 5; i++) {
            NodeStatus status = service.nodeStatus(i);
            assertEquals(fiveNodes, status.peers(), "peer table of node " + i);
            for (int j = 0; j < 5; j++) {
                if (j != i) {
                    assertTrue(status.routing().peers().get(Integer.toString(j)).connected(),
                            "link " + i + " -> " + j + " up: " + status.routing());
                }
            }
        }

        // No waiting beyond the plan: COMPLETE means the new node is part of the cluster.
        List<Client> clients = new ArrayList<>();
        try {
            Client onNew = Client.connect(node(3), "el-sub-3", true);
            clients.add(onNew);
            onNew.subscribe("el/in/#", 1);
            List<Client> onOld = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Client sub = Client.connect(node(i), "el-sub-" + i, true);
                sub.subscribe("el/out/#", 1);
                onOld.add(sub);
                clients.add(sub);
            }
            for (int i = 0; i < 3; i++) {
                Client pub = Client.connect(node(i), "el-pub-" + i, true);
                for (int m = 0; m < 20; m++) {
                    pub.publish("el/in/" + i, i + ":" + m, 1, false);
                }
                pub.close();
            }
            Client pub3 = Client.connect(node(3), "el-pub-3", true);
            for (int m = 0; m < 30; m++) {
                pub3.publish("el/out/3", "3:" + m, 1, false);
            }
            pub3.close();
            for (int i = 0; i < 3; i++) {
                int from = i;
                Poll.until(Duration.ofSeconds(15), "node 3 has node " + i + "'s 20",
                        () -> onNew.payloads("el/in/" + from).size() >= 20);
                assertEquals(sequence(i, 20), onNew.payloads("el/in/" + i), "from node " + i + " on node 3, in order");
                Client sub = onOld.get(i);
                Poll.until(Duration.ofSeconds(15), "node " + i + " has node 3's 30",
                        () -> sub.payloads("el/out/3").size() >= 30);
                assertEquals(sequence(3, 30), sub.payloads("el/out/3"), "from node 3 on node " + i + ", in order");
            }

            // retained catch-up: what was retained before node 3 existed is there for a new subscriber on node 3
            Client late = Client.connect(node(3), "el-retain-reader", true);
            clients.add(late);
            late.subscribe("el/retained/#", 1);
            Poll.until(Duration.ofSeconds(15), "10 retained messages on node 3", () -> {
                int found = 0;
                for (int k = 0; k < 10; k++) {
                    found += late.payloads("el/retained/" + k).contains("before-join-" + k) ? 1 : 0;
                }
                return found == 10;
            });

            // a shared group with members on an old node and the new one: each message once in total
            Client member1 = Client.connect(node(1), "el-share-1", true);
            Client member3 = Client.connect(node(3), "el-share-3", true);
            clients.add(member1);
            clients.add(member3);
            member1.subscribe("$share/elastic/el/jobs/+", 1);
            member3.subscribe("$share/elastic/el/jobs/+", 1);
            // No wait: a SUBACK comes once every reachable peer routes by a digest holding the new filter.
            Client pub0 = Client.connect(node(0), "el-share-pub-0", true);
            Client pub2 = Client.connect(node(2), "el-share-pub-2", true);
            int count = 60;
            for (int m = 0; m < count; m++) {
                (m % 2 == 0 ? pub0 : pub2).publish("el/jobs/build", Integer.toString(m), 1, false);
            }
            pub0.close();
            pub2.close();
            Poll.until(Duration.ofSeconds(20), "the group received " + count,
                    () -> member1.payloads("el/jobs/build").size() + member3.payloads("el/jobs/build").size() >= count);
            Poll.holds(Duration.ofMillis(1500), () -> assertEquals(count, // no second delivery shows up
                    member1.payloads("el/jobs/build").size() + member3.payloads("el/jobs/build").size()));
            List<String> all = new ArrayList<>(member1.payloads("el/jobs/build"));
            all.addAll(member3.payloads("el/jobs/build"));
            String split = "node 1: " + member1.payloads("el/jobs/build").size() + ", node 3: "
                    + member3.payloads("el/jobs/build").size();
            System.out.println("shared group across the old node 1 and the new node 3, " + count + " messages: " + split);
            assertEquals(count, all.size(), "deliveries in total (" + split + ")");
            assertEquals(count, all.stream().distinct().count(), "each message once (" + split + ")");
            assertTrue(member3.payloads("el/jobs/build").size() > 0 && member1.payloads("el/jobs/build").size() > 0,
                    "both nodes take turns: " + split);
        } finally {
            clients.forEach(Client::close);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** {@code update start} to {@code nodes} through the CLI and waits for the update plan; answers its view. */
    private JsonNode scale(int nodes) throws IOException {
        Path file = Files.writeString(cluster.home.resolve("options-" + nodes + ".json"), options(nodes));
        UpdatePlan.Done done = UpdatePlan.run(cluster, SERVICE, file, Duration.ofMinutes(6));
        System.out.println("scaled to " + nodes + " nodes in " + done.millis() + " ms: " + done.view());
        return done.view();
    }

    private JsonNode planView(String plan) {
        return UpdatePlan.view(cluster, SERVICE, plan);
    }

    private static List<String> homedOn(int node, String prefix, int count) {
        return homedOn(node, prefix, count, 5);
    }

    /** {@code count} client ids {@code prefix<k>} whose VIP home among {@code nodes} nodes is {@code node}. */
    private static List<String> homedOn(int node, String prefix, int count, int nodes) {
        List<String> ids = new ArrayList<>();
        List<Integer> all = java.util.stream.IntStream.range(0, nodes).boxed().toList();
        for (int k = 0; ids.size() < count; k++) {
            if (ClientHome.among(prefix + k, all) == node) {
                ids.add(prefix + k);
            }
        }
        return ids;
    }

    private String node(int i) {
        return service.layout().nodeAddress(i);
    }

    private static List<String> sequence(int publisher, int count) {
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            expected.add(publisher + ":" + m);
        }
        return expected;
    }
}
