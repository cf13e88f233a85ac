package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.extension.Clients.Recorder;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three CE brokers (separate processes) joined by the router: what a user of the cluster notices. The peer-down
 * test stops and restarts node 2, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingClusterIT {
    private static final int PORT = 1893;
    private static final long WAIT = 10_000;
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.start(3, PORT, true, 100_000);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void qos1PublishOnNode0ReachesSubscribersOnEveryNodeOnceInOrderWithProperties() throws Exception {
        int n = 200;
        List<Recorder> subscribers = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            subscribers.add(new Recorder(cluster.connected(node, "fan-sub-" + node), "fan/+"));
        }
        // Subscribed with QoS 0 on node 1: delivered QoS is the minimum of publish and subscription.
        Mqtt5BlockingClient low = cluster.connected(1, "fan-sub-qos0");
        Mqtt5BlockingClient.Mqtt5Publishes lowPublishes = low.publishes(MqttGlobalPublishFilter.ALL);
        low.subscribeWith().topicFilter("fan/+").qos(MqttQos.AT_MOST_ONCE).send();
        Mqtt5BlockingClient publisher = cluster.connected(0, "fan-pub");
        try {
            for (int i = 0; i < n; i++) {
                publisher.publishWith().topic("fan/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .userProperties().add("seq", Integer.toString(i)).add("origin", "node-0").applyUserProperties()
                        .contentType("text/plain")
                        .correlationData(("corr-" + i).getBytes(StandardCharsets.UTF_8))
                        .responseTopic("fan/replies")
                        .send();
            }
            for (int node = 0; node < 3; node++) {
                Recorder r = subscribers.get(node);
                List<Mqtt5Publish> got = receive(r, n);
                assertEquals(n, got.size(), "node " + node + " subscriber got " + got.size());
                for (int i = 0; i < n; i++) {
                    Mqtt5Publish p = got.get(i);
                    assertEquals("m" + i, Clients.text(p), "order on node " + node);
                    assertEquals(MqttQos.AT_LEAST_ONCE, p.getQos());
                    assertEquals("seq=" + i + ",origin=node-0", p.getUserProperties().asList().stream()
                            .map(u -> u.getName() + "=" + u.getValue()).reduce((a, b) -> a + "," + b).orElse(""));
                    assertEquals("text/plain", p.getContentType().map(Object::toString).orElse(null));
                    assertEquals("corr-" + i, StandardCharsets.UTF_8.decode(p.getCorrelationData().orElseThrow()).toString());
                    assertEquals("fan/replies", p.getResponseTopic().map(Object::toString).orElse(null));
                }
                r.drain(300);
                assertEquals(n, r.received.size(), "duplicates on node " + node);
            }
            Optional<Mqtt5Publish> q0 = lowPublishes.receive(WAIT, TimeUnit.MILLISECONDS);
            assertTrue(q0.isPresent());
            assertEquals(MqttQos.AT_MOST_ONCE, q0.get().getQos());
        } finally {
            subscribers.forEach(Recorder::close);
            lowPublishes.close();
            low.disconnect();
            publisher.disconnect();
        }
    }

    @Test
    @Order(2)
    void retainedOnNode1ReachesNewSubscriberOnNode2AndClearOnNode0RemovesItEverywhere() throws Exception {
        Mqtt5BlockingClient p1 = cluster.connected(1, "ret-pub");
        p1.publishWith().topic("ret/a").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("kept".getBytes(StandardCharsets.UTF_8)).send();
        p1.disconnect();
        Optional<Mqtt5Publish> onNode2 = awaitRetained(2, "ret/a", true);
        assertTrue(onNode2.isPresent(), "retained message did not reach node 2");
        assertEquals("kept", Clients.text(onNode2.get()));
        assertTrue(onNode2.get().isRetain());

        Mqtt5BlockingClient p0 = cluster.connected(0, "ret-clear");
        p0.publishWith().topic("ret/a").qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
        p0.disconnect();
        for (int node = 0; node < 3; node++) {
            assertTrue(awaitRetained(node, "ret/a", false).isEmpty(), "still retained on node " + node);
        }
    }

    @Test
    @Order(3)
    void wildcardSubscriberSeesNoRoutingTrafficAndOutsidersCannotForgeEnvelopes() throws Exception {
        Recorder all = new Recorder(cluster.connected(1, "all"), "#");
        Recorder target = new Recorder(cluster.connected(1, "target"), "forged/x");
        Mqtt5BlockingClient forger = cluster.connected(1, "forger");
        Mqtt5BlockingClient publisher = cluster.connected(0, "wild-pub");
        try {
            try {
                forger.publishWith().topic("hivemq-suite/" + BrokerProcess.SERVICE + "/route/0/1/1/forged/x")
                        .qos(MqttQos.AT_LEAST_ONCE).payload("forged".getBytes(StandardCharsets.UTF_8)).send();
            } catch (RuntimeException refused) {
                // refused with a PUBACK reason code or a disconnect; both are fine
            }
            for (int i = 0; i < 20; i++) {
                Clients.publish(publisher, "wild/" + i, "w" + i, false);
            }
            assertTrue(all.awaitTopic("wild/19", WAIT).isPresent(), all.topics().toString());
            all.drain(500);
            assertTrue(all.topics().stream().noneMatch(t -> t.startsWith("hivemq-suite")), all.topics().toString());
            assertEquals(20, all.topics().stream().filter(t -> t.startsWith("wild/")).count(), all.topics().toString());
            target.drain(500);
            assertTrue(target.received.isEmpty(), "a forged envelope was delivered: " + target.topics());
        } finally {
            all.close();
            target.close();
            Clients.disconnectQuietly(forger);
            publisher.disconnect();
        }
    }

    @Test
    @Order(4)
    void withoutSubscriberOnNode2NoEnvelopeGoesToNode2() throws Exception {
        Recorder onNode1 = new Recorder(cluster.connected(1, "lonely-sub"), "lonely/#");
        Mqtt5BlockingClient publisher = cluster.connected(0, "lonely-pub");
        try {
            // Counters still changing from the earlier tests would make "before" stale.
            String before = cluster.settledStats(0);
            for (int i = 0; i < 50; i++) {
                Clients.publish(publisher, "lonely/" + i, "l" + i, false);
            }
            assertTrue(onNode1.awaitTopic("lonely/49", WAIT).isPresent());
            String after = cluster.awaitStats(0, j -> Cluster.peerCount(j, 2, "skippedByDigest")
                    >= Cluster.peerCount(before, 2, "skippedByDigest") + 50, WAIT);
            assertEquals(Cluster.peerCount(before, 2, "enqueued"), Cluster.peerCount(after, 2, "enqueued"),
                    "envelopes went to node 2 without interest: " + after);
            assertEquals(Cluster.peerCount(before, 2, "skippedByDigest") + 50, Cluster.peerCount(after, 2, "skippedByDigest"));
            assertEquals(Cluster.peerCount(before, 1, "enqueued") + 50, Cluster.peerCount(after, 1, "enqueued"));
        } finally {
            onNode1.close();
            publisher.disconnect();
        }
    }

    /**
     * One group, members on all three nodes (two on node 1), publishers on two nodes: every message reaches the group
     * exactly once in total, spread over the nodes; a plain subscriber on node 2 still gets every message, and no
     * client ever sees the router's reserved user property.
     */
    @Test
    @Order(5)
    void sharedGroupWithMembersOnThreeNodesGetsEachMessageOnceInTotal() throws Exception {
        int n = 60;
        List<Recorder> members = List.of(
                new Recorder(cluster.connected(0, "share-0"), "$share/g/shared/+"),
                new Recorder(cluster.connected(1, "share-1a"), "$share/g/shared/+"),
                new Recorder(cluster.connected(1, "share-1b"), "$share/g/shared/+"),
                new Recorder(cluster.connected(2, "share-2"), "$share/g/shared/+"));
        Recorder plain = new Recorder(cluster.connected(2, "share-plain"), "shared/#");
        Mqtt5BlockingClient pub0 = cluster.connected(0, "share-pub-0");
        Mqtt5BlockingClient pub1 = cluster.connected(1, "share-pub-1");
        try {
            // The SUBACKs waited for the digests to leave; give the links a moment to deliver them.
            cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "digestFilters") >= 1
                    && Cluster.peerCount(j, 2, "digestFilters") >= 2, WAIT);
            for (int i = 0; i < n; i++) {
                (i % 2 == 0 ? pub0 : pub1).publishWith().topic("shared/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("s" + i).getBytes(StandardCharsets.UTF_8))
                        .userProperties().add("seq", Integer.toString(i)).applyUserProperties()
                        .send();
            }
            plain.drain(3000);
            for (Recorder m : members) {
                m.drain(200);
            }
            List<String> all = new ArrayList<>();
            int nodesThatDelivered = 0;
            int[] perNode = new int[3];
            for (int k = 0; k < members.size(); k++) {
                Recorder m = members.get(k);
                m.received.forEach(p -> all.add(Clients.text(p)));
                perNode[k == 0 ? 0 : k == 3 ? 2 : 1] += m.received.size();
                for (Mqtt5Publish p : m.received) {
                    assertEquals(List.of("seq"), p.getUserProperties().asList().stream()
                            .map(u -> u.getName().toString()).toList(), "the reserved property never leaves the broker");
                }
            }
            for (int count : perNode) {
                nodesThatDelivered += count > 0 ? 1 : 0;
            }
            Set<String> distinct = new LinkedHashSet<>(all);
            assertEquals(n, all.size(), "deliveries to the group in total (per node " + java.util.Arrays.toString(perNode) + ")");
            assertEquals(n, distinct.size(), "every message reached the group once");
            assertEquals(3, nodesThatDelivered, "the group's load is spread over its nodes");
            assertEquals(n, plain.received.size(), "a plain subscriber is not affected");
            assertEquals(List.of("seq"), plain.received.get(0).getUserProperties().asList().stream()
                    .map(u -> u.getName().toString()).toList());
        } finally {
            members.forEach(Recorder::close);
            plain.close();
            pub0.disconnect();
            pub1.disconnect();
        }
    }

    /** MQTT 3.1.1 clients carry no user properties: the choice still travels, and a 3.1.1 member is counted once. */
    @Test
    @Order(6)
    void sharedGroupWorksForMqtt311PublishersAndMembers() throws Exception {
        int n = 30;
        com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient v3member = mqtt3(1, "share3-member");
        com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes v3received =
                v3member.publishes(MqttGlobalPublishFilter.ALL);
        v3member.subscribeWith().topicFilter("$share/g3/v3/t").qos(MqttQos.AT_LEAST_ONCE).send();
        Recorder v5member = new Recorder(cluster.connected(2, "share3-v5"), "$share/g3/v3/t");
        com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient v3pub = mqtt3(0, "share3-pub");
        try {
            cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "digestFilters") >= 1
                    && Cluster.peerCount(j, 2, "digestFilters") >= 1, WAIT);
            for (int i = 0; i < n; i++) {
                v3pub.publishWith().topic("v3/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("v" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            List<String> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                v3received.receive(100, TimeUnit.MILLISECONDS).ifPresent(p ->
                        all.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
            int viaV3 = all.size();
            v5member.drain(200);
            v5member.received.forEach(p -> all.add(Clients.text(p)));
            assertEquals(n, all.size(), "in total (3.1.1 member " + viaV3 + ", 5 member " + v5member.received.size() + ")");
            assertEquals(n, new LinkedHashSet<>(all).size());
            assertTrue(viaV3 > 0 && v5member.received.size() > 0, "both nodes took a share");
            v5member.received.forEach(p -> assertTrue(p.getUserProperties().asList().isEmpty()));
        } finally {
            v3received.close();
            v3member.disconnect();
            v5member.close();
            v3pub.disconnect();
        }
    }

    private com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient mqtt3(int node, String id) {
        com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient client = com.hivemq.client.mqtt.mqtt3.Mqtt3Client.builder()
                .identifier(id).serverHost(cluster.node(node).host).serverPort(PORT).buildBlocking();
        client.connect();
        return client;
    }

    /** An outside client cannot steer the cluster's choice: its copy of the reserved property is removed. */
    @Test
    @Order(7)
    void aForgedSharedOwnerPropertyIsRemoved() throws Exception {
        Recorder member = new Recorder(cluster.connected(1, "forge-member"), "$share/f/forge/t");
        Recorder plain = new Recorder(cluster.connected(2, "forge-plain"), "forge/t");
        Mqtt5BlockingClient pub = cluster.connected(0, "forge-pub");
        try {
            cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "digestFilters") >= 1, WAIT);
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("forge/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("f" + i).getBytes(StandardCharsets.UTF_8))
                        .userProperties().add("hivemq-suite-shared-owner", "2:16:$share/f/forge/t").applyUserProperties()
                        .send();
            }
            plain.drain(2000);
            member.drain(200);
            assertEquals(5, member.received.size(), "the group on node 1 got every message");
            assertEquals(5, plain.received.size());
            assertTrue(plain.received.get(0).getUserProperties().asList().isEmpty());
        } finally {
            member.close();
            plain.close();
            pub.disconnect();
        }
    }

    /** While a node with group members is away, members on the reachable nodes take every message. */
    @Test
    @Order(9)
    void sharedGroupMembersElsewhereTakeOverWhileANodeIsDown() throws Exception {
        Recorder onNode0 = new Recorder(cluster.connected(0, "away-member-0"), "$share/a/away/t");
        Recorder onNode2 = new Recorder(cluster.connected(2, "away-member-2"), "$share/a/away/t");
        Mqtt5BlockingClient pub = cluster.connected(1, "away-pub");
        try {
            cluster.awaitStats(1, j -> Cluster.peerCount(j, 0, "digestFilters") >= 1
                    && Cluster.peerCount(j, 2, "digestFilters") >= 1, WAIT);
            Clients.publish(pub, "away/t", "before", false);
            // Killed, so node 2's digest still names its member: node 1 must see that the node is unreachable.
            cluster.node(2).kill();
            cluster.awaitStats(1, j -> Cluster.peerStat(j, 2, "connected").equals("false"), WAIT);
            for (int i = 0; i < 20; i++) {
                Clients.publish(pub, "away/t", "a" + i, false);
            }
            onNode0.drain(2000);
            List<String> got = onNode0.received.stream().map(Clients::text).filter(t -> t.startsWith("a")).toList();
            assertEquals(20, got.size(), "the member on node 0 took every message while node 2 was down: " + got);
        } finally {
            onNode0.close();
            Clients.disconnectQuietly(onNode2.client);
            pub.disconnect();
            cluster.node(2).start().awaitStarted();
            cluster.awaitLinks();
        }
    }

    @Test
    @Order(10)
    void messagesForAPeerThatIsDownArriveInOrderAfterItReturns() throws Exception {
        int n = 100;
        String clientId = "durable-sub";
        Mqtt5BlockingClient sub = cluster.node(2) == null ? null : com.hivemq.client.mqtt.mqtt5.Mqtt5Client.builder()
                .identifier(clientId).serverHost(cluster.node(2).host).serverPort(PORT).buildBlocking();
        sub.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        sub.subscribeWith().topicFilter("durable/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        cluster.awaitStats(0, j -> Cluster.peerCount(j, 2, "digestFilters") >= 1, WAIT);

        cluster.node(2).stop();
        String down = cluster.awaitStats(0, j -> Cluster.peerStat(j, 2, "connected").equals("false"), WAIT);
        Mqtt5BlockingClient publisher = cluster.connected(0, "durable-pub");
        for (int i = 0; i < n; i++) {
            Clients.publish(publisher, "durable/t", "d" + i, false);
        }
        publisher.disconnect();
        String queued = cluster.awaitStats(0, j -> Cluster.peerCount(j, 2, "enqueued")
                == Cluster.peerCount(down, 2, "enqueued") + n, WAIT);
        assertEquals(Cluster.peerCount(down, 2, "enqueued") + n, Cluster.peerCount(queued, 2, "enqueued"), queued);
        System.out.println("peer-down: queued for node 2 while it was down: " + Cluster.peerCount(queued, 2, "queued"));

        cluster.node(2).start().awaitStarted();
        List<String> got = cluster.resumeSession(2, clientId, n, 10_000);
        Set<String> unique = new LinkedHashSet<>(got);
        assertEquals(n, unique.size(), "missing after the peer returned: got " + got);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("d" + i);
        }
        assertEquals(expected, new ArrayList<>(unique), "order");
        System.out.println("peer-down: " + n + " published, " + got.size() + " received, "
                + (got.size() - unique.size()) + " duplicates");
        assertFalse(got.size() > 2 * n);
    }

    private static List<Mqtt5Publish> receive(Recorder r, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT * 2);
        while (r.received.size() < n && System.nanoTime() < deadline) {
            r.awaitTopic("\u0000never", 200);
        }
        return r.received;
    }

    /** Retries fresh subscriptions until the retained message is there (present=true) or gone (present=false). */
    private static Optional<Mqtt5Publish> awaitRetained(int node, String topic, boolean present) {
        AtomicReference<Optional<Mqtt5Publish>> last = new AtomicReference<>(Optional.empty());
        try {
            Awaitility.await().atMost(Duration.ofMillis(WAIT)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try (Recorder r = new Recorder(cluster.connected(node, "ret-check"), topic)) {
                            last.set(r.awaitTopic(topic, 500));
                        }
                        return last.get().isPresent() == present;
                    });
        } catch (ConditionTimeoutException e) {
            // the caller asserts on the last answer
        }
        return last.get();
    }


    /**
     * A node that comes back without its data (a replaced node, a lost disk) starts with an empty retained store and
     * catches up from a peer: a new subscriber there gets every retained message, and no cleared one.
     */
    @Test
    @Order(11)
    void aNodeThatLostItsDataCatchesUpOnTheRetainedSet() throws Exception {
        Mqtt5BlockingClient setter = cluster.connected(0, "catchup-setter");
        for (int i = 0; i < 25; i++) {
            Clients.publish(setter, "catchup/" + i, "v" + i, true);
        }
        Clients.publish(setter, "catchup/cleared", "gone-soon", true);
        Clients.publish(setter, "catchup/cleared", "", true);
        setter.disconnect();
        // Every copy acknowledged by node 2, so nothing comes back to it from node 0's journal: what it gets after
        // the restart comes from the catch-up.
        cluster.awaitStats(0, j -> Cluster.peerStat(j, 2, "queued").equals("0") && Cluster.stat(j, "journalOwed") == 0, WAIT);

        cluster.node(2).stop();
        try (java.util.stream.Stream<java.nio.file.Path> data = java.nio.file.Files.walk(cluster.node(2).home.resolve("data"))) {
            data.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.endsWith("data")).forEach(p -> p.toFile().delete());
        }
        cluster.node(2).start().awaitStarted();
        String stats = cluster.awaitStats(2, j -> j.contains("\"catchUpStored\":") && !j.contains("\"catchUpStored\":0,"), 30_000);
        System.out.println("catch-up on node 2: " + stats);

        Recorder reader = new Recorder(cluster.connected(2, "catchup-reader"), "catchup/+");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reader.received.size() < 25 && System.nanoTime() < deadline) {
                reader.drain(200);
            }
            reader.drain(300);
            Set<String> topics = new java.util.TreeSet<>(reader.topics());
            Set<String> expected = new java.util.TreeSet<>();
            for (int i = 0; i < 25; i++) {
                expected.add("catchup/" + i);
            }
            assertEquals(expected, topics, "every retained message, and not the cleared one");
            for (Mqtt5Publish p : reader.received) {
                assertTrue(p.isRetain());
                assertEquals("v" + p.getTopic().toString().substring("catchup/".length()), Clients.text(p));
            }
        } finally {
            reader.close();
        }
    }


    /**
     * Last writer wins: an older retained write that reaches a node after a newer one (here: replayed from node 1's
     * journal when it restarts, long after node 0 overwrote it) does not replace it.
     */
    @Test
    @Order(12)
    void anOlderRetainedWriteArrivingLateDoesNotReplaceANewerOne() throws Exception {
        cluster.node(2).stop();
        cluster.awaitStats(1, j -> Cluster.peerStat(j, 2, "connected").equals("false"), WAIT);
        Mqtt5BlockingClient p1 = cluster.connected(1, "lww-old");
        p1.publishWith().topic("lww/t").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("older".getBytes(StandardCharsets.UTF_8)).send();
        p1.disconnect();
        assertEquals("older", awaitRetained(0, "lww/t", true).map(Clients::text).orElse(""), "node 0 has it");
        Mqtt5BlockingClient p0 = cluster.connected(0, "lww-new");
        p0.publishWith().topic("lww/t").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("newer".getBytes(StandardCharsets.UTF_8)).send();
        p0.disconnect();
        // Node 1 still owes node 2 the older write; it goes down with it on its journal.
        cluster.node(1).stop();

        cluster.node(2).start().awaitStarted();
        assertEquals("newer", awaitRetained(2, "lww/t", true).map(Clients::text).orElse(""));
        cluster.node(1).start().awaitStarted();
        String stats = cluster.awaitStats(1, j -> Cluster.peerCount(j, 2, "sent") >= 1, 30_000);
        String node2 = cluster.awaitStats(2, j -> j.contains("\"staleRetained\":1"), WAIT);
        System.out.println("late older write: node 1 " + stats + "\nnode 2 " + node2);
        assertEquals("newer", awaitRetained(2, "lww/t", true).map(Clients::text).orElse(""),
                "the older write replayed from node 1 did not win on node 2");
        assertEquals("newer", awaitRetained(1, "lww/t", true).map(Clients::text).orElse(""));
    }

}
