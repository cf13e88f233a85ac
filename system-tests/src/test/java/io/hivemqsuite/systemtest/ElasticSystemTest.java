package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Nodes joining and leaving the logical cluster live, driven through the CLI on one 3-node service: {@code update
 * start} to 4 nodes makes every existing router link to the new node without a broker restart, and the update step of
 * the new node is COMPLETE only once all links are up both ways, so right after it publishes flow both ways, the new
 * node has the retained messages set before it joined, and a shared group spanning an old and the new node gets each
 * message once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticSystemTest {
    private static final String SERVICE = "elastic";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        return "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": " + nodes
                + ", \"mem\": 512, \"heap\": 128}}";
    }

    @Test
    @Order(1)
    void aNodeAddedByScaleOutJoinsTheLogicalClusterBothWaysBeforeItsStepIsComplete() throws Exception {
        Client setter = Client.connect(node(0), "el-retain-setter", true);
        for (int k = 0; k < 10; k++) {
            setter.publish("el/retained/" + k, "before-join-" + k, 1, true);
        }
        setter.close();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pids.add(service.nodeStatus(i).brokerPid());
        }

        JsonNode plan = scale(4);
        JsonNode step = plan.path("phases").get(0).path("steps").get(0);
        assertEquals("hivemq-3:[node]", step.path("name").asText(), plan.toString());
        assertTrue(step.path("message").asText().contains("routing links up"), "step message: " + step);
        for (int i = 0; i < 3; i++) {
            assertEquals(pids.get(i), service.nodeStatus(i).brokerPid(), "no broker restart on node " + i);
        }
        Map<String, String> fourNodes = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            fourNodes.put(Integer.toString(i), node(i) + ":1883");
        }
        for (int i = 0; i < 4; i++) {
            NodeStatus status = service.nodeStatus(i);
            assertEquals(fourNodes, status.peers(), "peer table of node " + i);
            for (int j = 0; j < 4; j++) {
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
            Poll.sleep(500); // the digests reach the publishers' nodes (the router's documented window)
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
            Poll.sleep(1500); // time for any second delivery to show up
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
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", file.toString());
        assertEquals(0, update.exitCode(), update.toString());
        long start = System.nanoTime();
        JsonNode done = Poll.until(Duration.ofMinutes(4), "update plan COMPLETE", () -> {
            Cli.Result status = cluster.run("--name", SERVICE, "plan", "status", "update", "--json");
            assertEquals(0, status.exitCode(), status.toString());
            JsonNode view = JSON.readTree(status.out());
            assertNotEquals("ERROR", view.path("status").asText(), view.toString());
            return "COMPLETE".equals(view.path("status").asText()) ? view : null;
        });
        System.out.println("scaled to " + nodes + " nodes in " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                + done);
        return done;
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
