package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.NodeNamespaces;
import io.hivemqsuite.protocol.endpoint.ClientHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real network partition: with {@code service.local_network_namespaces} each node runs in its own network
 * namespace, so taking one node's veth down on the host cuts it off from the VIP, the other nodes and the suite's
 * services while its processes keep running. Under counted QoS 1 traffic through the VIP: the cut-off node leaves the
 * VIP's rotation within 10 s, the other nodes keep taking publishes and delivering them, what the cut-off node's
 * persistent subscribers are owed waits (nothing reaches them) and arrives after the heal, and no message is lost.
 * Needs root and {@code ip netns} ({@code .ci/run} runs as root and installs iproute2): without them the test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionSystemTest {
    private static final String SERVICE = "partition";
    private static final int CUT = 2;

    private TestCluster cluster;
    private InstalledService service;
    private NodeNamespaces network;

    @BeforeAll
    void install() throws IOException {
        assertNull(NodeNamespaces.unavailable(), "network namespaces are needed for this test (run as root with "
                + "iproute2, as .ci/run does)");
        cluster = new TestCluster("hivemq-suite-partition-");
        // What a crashed run of this service would have left: the next install removes it before making its own.
        NodeNamespaces crashed = new NodeNamespaces(new LocalLayout(cluster.home, SERVICE, 250, true));
        crashed.createBridge();
        crashed.createNode(7);
        service = cluster.install(SERVICE, "{\"service\": {\"name\": \"" + SERVICE + "\", \"local_network_namespaces\":"
                + " true}, \"node\": {\"count\": 3, \"mem\": 512, \"heap\": 128}}");
        network = new NodeNamespaces(service.layout());
    }

    @AfterAll
    void uninstall() throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
            if (network != null) {
                assertEquals(List.of(), network.existing(), "uninstall removes the nodes' namespaces");
                assertFalse(network.bridgeExists(), "uninstall removes the bridge " + network.bridge());
            }
        } finally {
            if (cluster != null) {
                // even when the test or the uninstall failed: no namespace of this test outlives it
                new NodeNamespaces(new LocalLayout(cluster.home, SERVICE, 1, true)).removeAll();
            }
        }
    }

    @Test
    void aCutOffNodeLeavesTheVipTheOthersKeepServingAndWhatItIsOwedArrivesAfterTheHeal() throws Exception {
        assertEquals(List.of(network.namespace(0), network.namespace(1), network.namespace(2)),
                network.existing().stream().sorted().toList(), "one namespace per node, the crashed run's gone");
        for (int i = 0; i < 3; i++) {
            String address = service.nodeStatus(i).address();
            assertEquals(LocalLayout.NAMESPACE_NET + "." + service.layout().slot() + "." + (i + 1), address,
                    "node " + i + " in its namespace");
        }

        try (CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress())) {
            traffic.publisher(homedOn(0, "pt-pub", 1).get(0));
            traffic.publisher(homedOn(1, "pt-pub", 1).get(0));
            List<String> onCut = homedOn(CUT, "pt-sub", 2);
            String onOther = homedOn(0, "pt-sub", 1).get(0);
            for (String id : onCut) {
                traffic.subscriber(id);
            }
            traffic.subscriber(onOther);
            traffic.subscriber(homedOn(1, "pt-sub", 1).get(0));
            Poll.until(Duration.ofSeconds(30), "the cut-off node's subscribers connected to it through the VIP",
                    () -> service.vipConnections(3)[CUT] >= onCut.size());
            traffic.awaitAcknowledged(25);

            long cutAt = System.nanoTime();
            network.cut(CUT);
            Poll.until(Duration.ofSeconds(10), Duration.ofMillis(100), "hivemq-" + CUT + " out of the VIP",
                    () -> !inRotation(CUT));
            long outOfVipMs = (System.nanoTime() - cutAt) / 1_000_000;
            System.out.println("hivemq-" + CUT + " out of the VIP " + outOfVipMs + " ms after it was cut off");
            assertTrue(inRotation(0) && inRotation(1), "the other nodes stay in the VIP");

            // During the partition: publishes are acknowledged and delivered by the other nodes, nothing reaches the
            // cut-off node's subscribers.
            Map<String, Integer> before = received(traffic);
            traffic.awaitAcknowledged(100);
            Map<String, Integer> during = received(traffic);
            assertTrue(during.get(onOther) >= before.get(onOther) + 100,
                    "deliveries continue on the other nodes: " + before + " -> " + during);
            for (String id : onCut) {
                assertEquals(before.get(id), during.get(id), id + " is behind the partition: " + before + " -> "
                        + during);
            }
            assertFalse(inRotation(CUT), "still out of the VIP while cut off");

            network.heal(CUT);
            long healedAt = System.nanoTime();
            Poll.until(Duration.ofSeconds(60), "hivemq-" + CUT + " back in the VIP", () -> inRotation(CUT));
            System.out.println("hivemq-" + CUT + " back in the VIP " + (System.nanoTime() - healedAt) / 1_000_000
                    + " ms after the heal; partition lasted " + (healedAt - cutAt) / 1_000_000 + " ms");
            traffic.awaitAcknowledged(25);

            StringBuilder report = traffic.assertNoLoss("partition of hivemq-" + CUT);
            System.out.println("partition and heal: out of the VIP after " + outOfVipMs + " ms, 0 lost, "
                    + traffic.duplicates() + " duplicates");
            assertTrue(outOfVipMs <= 10_000, "out of the VIP within 10 s: " + outOfVipMs + " ms\n" + report);
        }
    }

    private boolean inRotation(int node) {
        return service.mqttVipNodes().stream()
                .filter(n -> ("hivemq-" + node).equals(n.get("pod")))
                .anyMatch(n -> Boolean.TRUE.equals(n.get("inRotation")));
    }

    private static Map<String, Integer> received(CountedTraffic traffic) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (CountedTraffic.Subscriber s : traffic.subscribers()) {
            counts.put(s.client.id, s.client.received.size());
        }
        return counts;
    }

    /** {@code count} client ids {@code prefix<k>} whose VIP home among the 3 nodes is {@code node}. */
    private static List<String> homedOn(int node, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        List<Integer> all = IntStream.range(0, 3).boxed().toList();
        for (int k = 0; ids.size() < count; k++) {
            if (ClientHome.among(prefix + k, all) == node) {
                ids.add(prefix + k);
            }
        }
        return ids;
    }
}
