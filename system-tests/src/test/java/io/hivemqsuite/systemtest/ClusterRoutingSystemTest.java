package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.message.NodeStatus;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "One logical cluster from Community Edition nodes": one 3-node service installed by the CLI, Eclipse Paho as the
 * outside client, straight to the nodes (127.0.slot.1-3:1883) or through the MQTT VIP (127.0.slot.250:1883).
 * Messages across nodes, retained state on every node, persistent sessions through a broker crash and through a
 * pod restart with the VIP keeping each client on its home node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRoutingSystemTest {
    private static final String SERVICE = "route";
    private static final int NODES = 3;

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-route-");
        service = cluster.install(SERVICE, "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": "
                + NODES + ", \"mem\": 512, \"heap\": 128}}");
        for (int i = 0; i < NODES; i++) {
            int node = i;
            Poll.until(Duration.ofSeconds(60), "node " + i + " healthy", () -> service.nodeStatus(node).healthy());
        }
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    @Test
    @Order(1)
    void aPublishOnOneNodeReachesSubscribersOnEveryNodeOnceAndInOrderAndNoRoutingTrafficIsVisible() throws Exception {
        List<Client> subscribers = new ArrayList<>();
        Client wildcard = Client.connect(node(1), "route-wildcard", true);
        try {
            wildcard.subscribe("#", 1);
            for (int i = 0; i < NODES; i++) {
                Client sub = Client.connect(node(i), "route-sub-" + i, true);
                sub.subscribe("fanout/t", 1);
                subscribers.add(sub);
            }
            // No wait here: a SUBACK comes once every reachable peer routes by a digest holding the new filter.
            Client pub = Client.connect(node(0), "route-pub", true);
            int count = 300;
            for (int m = 0; m < count; m++) {
                pub.publish("fanout/t", Integer.toString(m), 1, false);
            }
            pub.close();
            List<String> expected = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                expected.add(Integer.toString(m));
            }
            for (int i = 0; i < NODES; i++) {
                Client sub = subscribers.get(i);
                Poll.until(Duration.ofSeconds(30), "subscriber on node " + sub.host + " has " + count,
                        () -> sub.payloads("fanout/t").size() >= count);
            }
            Poll.holds(Duration.ofSeconds(1), () -> {
                for (int i = 0; i < NODES; i++) {
                    assertEquals(expected, subscribers.get(i).payloads("fanout/t"), "node " + i + ": every message once, in order");
                }
            });
            Poll.until(Duration.ofSeconds(10), "# subscriber got the messages", () -> wildcard.payloads("fanout/t").size() >= count);
            List<String> control = wildcard.received.stream().map(Received::topic)
                    .filter(t -> t.startsWith("hivemq-suite")).distinct().toList();
            System.out.println("# subscriber on node 1: " + wildcard.received.size() + " messages, control/routing topics: "
                    + control);
            assertEquals(List.of(), control, "a client subscribed to # sees no routing or control traffic");

            // The router's counters are in node 0's status and metrics: what an operator watches.
            Poll.until(Duration.ofSeconds(10), "node 0's status counts the envelopes sent", () -> {
                NodeStatus status = service.nodeStatus(0);
                return status.routing() != null && status.routing().peers().get("1").sent() >= count
                        && status.routing().peers().get("2").sent() >= count;
            });
            NodeStatus status = service.nodeStatus(0);
            assertEquals(0, status.routing().dropped(), status.toString());
            assertTrue(status.routing().peers().get("1").connected(), status.toString());
            String metrics = io.restassured.RestAssured.given()
                    .header("Authorization", "Bearer " + service.internalCredential())
                    .get(service.layout().agentUrl(0) + "/q/metrics").then().statusCode(200).extract().asString();
            java.util.regex.Matcher sent = java.util.regex.Pattern
                    .compile("hivemq_suite_routing_sent_total\\{peer=\"hivemq-1\"[^}]*} ([0-9.E]+)").matcher(metrics);
            assertTrue(sent.find(), "routing metrics on the agent:\n" + metrics);
            assertTrue(Double.parseDouble(sent.group(1)) >= count, sent.group());
            assertTrue(metrics.contains("hivemq_suite_routing_dropped_total{peer=\"hivemq-2\""), metrics);
            Poll.until(Duration.ofSeconds(15), "pod info shows the routing counters", () -> {
                Cli.Result info = cluster.run("--name", SERVICE, "pod", "info", "hivemq-0");
                return info.exitCode() == 0 && info.out().contains("\"routing\"") && info.out().contains("\"sent\"");
            });
        } finally {
            subscribers.forEach(Client::close);
            wildcard.close();
        }
    }

    @Test
    @Order(2)
    void twentyPairsThroughTheVipExchangeMessages() throws Exception {
        List<Client> clients = new ArrayList<>();
        try {
            List<Client> subs = new ArrayList<>();
            List<Client> pubs = new ArrayList<>();
            for (int p = 0; p < 20; p++) {
                Client sub = Client.connect(vip(), "pair-sub-" + p, true);
                sub.subscribe("pairs/" + p, 1);
                subs.add(sub);
                clients.add(sub);
            }
            int[] perNode = vipConnections();
            System.out.println("VIP connections per node with 20 subscribers: " + java.util.Arrays.toString(perNode));
            for (int p = 0; p < 20; p++) {
                Client pub = Client.connect(vip(), "pair-pub-" + p, true);
                pubs.add(pub);
                clients.add(pub);
            }
            for (int m = 0; m < 10; m++) {
                for (int p = 0; p < 20; p++) {
                    pubs.get(p).publish("pairs/" + p, p + ":" + m, 1, false);
                }
            }
            for (int p = 0; p < 20; p++) {
                Client sub = subs.get(p);
                int pair = p;
                Poll.until(Duration.ofSeconds(20), "pair " + p + " got 10", () -> sub.payloads("pairs/" + pair).size() >= 10);
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < 10; m++) {
                    expected.add(p + ":" + m);
                }
                assertEquals(expected, sub.payloads("pairs/" + p));
            }
        } finally {
            clients.forEach(Client::close);
        }
    }

    @Test
    @Order(3)
    void retainedLivesOnEveryNodeAndItsClearingToo() throws Exception {
        Client setter = Client.connect(node(1), "retain-setter", true);
        setter.publish("retained/state", "on", 1, true);
        setter.close();
        Client reader = Client.connect(node(2), "retain-reader", true);
        reader.subscribe("retained/state", 1);
        Poll.until(Duration.ofSeconds(10), "retained message on node 2", () -> reader.payloads("retained/state").contains("on"));
        reader.close();

        Client clearer = Client.connect(node(0), "retain-clearer", true);
        clearer.publish("retained/state", "", 1, true);
        clearer.close();
        for (int i = 0; i < NODES; i++) {
            int n = i;
            // A retained message comes right after the SUBACK; none within 700 ms means none is stored.
            Poll.until(Duration.ofSeconds(15), "cleared on node 0, gone on node " + i, () -> {
                Client late = Client.connect(node(n), "retain-late-" + n, true);
                try {
                    late.subscribe("retained/state", 1);
                    Poll.holds(Duration.ofMillis(700), () -> assertEquals(List.of(), late.payloads("retained/state")));
                    return true;
                } finally {
                    late.close();
                }
            });
        }
    }

    @Test
    @Order(4)
    void aSharedGroupWithMembersOnThreeNodesReceivesEachMessageOnceInTotal() throws Exception {
        List<Client> members = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                Client member = Client.connect(node(i), "share-member-" + i, true);
                member.subscribe("$share/workers/jobs/+", 1);
                members.add(member);
            }
            Client extra = Client.connect(node(1), "share-member-1b", true);
            extra.subscribe("$share/workers/jobs/+", 1);
            members.add(extra);
            Client pub0 = Client.connect(node(0), "share-pub-0", true);
            Client pub2 = Client.connect(node(2), "share-pub-2", true);
            int count = 90;
            for (int m = 0; m < count; m++) {
                (m % 2 == 0 ? pub0 : pub2).publish("jobs/build", Integer.toString(m), 1, false);
            }
            pub0.close();
            pub2.close();
            Poll.until(Duration.ofSeconds(20), "the group received " + count, () -> members.stream()
                    .mapToLong(c -> c.payloads("jobs/build").size()).sum() >= count);
            Poll.holds(Duration.ofMillis(1500), () -> assertEquals(count, members.stream()  // no second delivery shows up
                    .mapToLong(c -> c.payloads("jobs/build").size()).sum()));
            List<String> all = new ArrayList<>();
            StringBuilder perMember = new StringBuilder();
            for (Client member : members) {
                all.addAll(member.payloads("jobs/build"));
                perMember.append(member.id).append('@').append(member.host).append('=')
                        .append(member.payloads("jobs/build").size()).append(' ');
            }
            System.out.println("shared group workers, " + count + " messages: " + perMember);
            assertEquals(count, all.size(), "deliveries to the group in total: " + perMember);
            assertEquals(count, all.stream().distinct().count(), "each message once: " + perMember);
            for (int i = 0; i < NODES; i++) {
                assertTrue(members.get(i).payloads("jobs/build").size()
                        + (i == 1 ? extra.payloads("jobs/build").size() : 0) > 0, "node " + i + " took a share");
            }
        } finally {
            members.forEach(Client::close);
        }
    }

    @Test
    @Order(5)
    void aPersistentSubscriberOnACrashedNodeGetsEveryMessageAfterTheRestart() throws Exception {
        Client sub = Client.connect(node(2), "crash-sub", false);
        sub.subscribe("crash/t", 1);
        NodeStatus before = service.nodeStatus(2);
        Client pub = Client.connect(node(0), "crash-pub", true);
        int count = 400;
        for (int m = 0; m < count; m++) {
            pub.publish("crash/t", Integer.toString(m), 1, false);
            if (m == 100) {
                assertTrue(ProcessHandle.of(before.brokerPid()).orElseThrow().destroyForcibly(), "kill -9 node 2's broker");
            }
            Poll.sleep(5);
        }
        pub.close();
        Poll.until(Duration.ofSeconds(60), "node 2's broker restarted", () -> {
            NodeStatus s = service.nodeStatus(2);
            return s.healthy() && s.brokerPid() != before.brokerPid();
        });
        // The subscriber comes back by itself to the same node (its session lives there).
        Poll.until(Duration.ofSeconds(60), "crash-sub reconnected", sub::reconnectIfNeeded);
        Poll.until(Duration.ofSeconds(60), "every message at crash-sub",
                () -> sub.payloads("crash/t").stream().distinct().count() >= count);
        // Redeliveries still under way would be counted short: wait until the deliveries stop coming.
        Poll.until(Duration.ofSeconds(30), "the deliveries to crash-sub stopped", () -> {
            int size = sub.payloads("crash/t").size();
            Poll.holds(Duration.ofSeconds(1), () -> assertEquals(size, sub.payloads("crash/t").size()));
            return true;
        });
        List<String> got = sub.payloads("crash/t");
        Map<String, Integer> seen = new HashMap<>();
        got.forEach(p -> seen.merge(p, 1, Integer::sum));
        List<String> duplicates = seen.entrySet().stream().filter(e -> e.getValue() > 1)
                .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.getKey())))
                .map(e -> e.getKey() + "x" + e.getValue()).toList();
        System.out.println("kill -9 of node 2: " + got.size() + " deliveries of " + count + " messages, "
                + duplicates.size() + " duplicated: " + duplicates);
        sub.close();
        List<Integer> firstSeen = got.stream().distinct().map(Integer::parseInt).toList();
        assertEquals(count, firstSeen.size(), "no message lost");
        List<Integer> sorted = new ArrayList<>(firstSeen);
        sorted.sort(null);
        assertEquals(sorted, firstSeen, "first deliveries in publish order");
        // Every copy node 0 journaled for node 2 was acknowledged after the link came back (nothing stays owed).
        Poll.until(Duration.ofSeconds(20), "node 0 owes its peers nothing", () -> {
            NodeStatus status = service.nodeStatus(0);
            return status.routing() != null && status.routing().journalOwed() == 0;
        });
    }

    @Test
    @Order(6)
    void aPodRestartKeepsEveryVipClientOnItsHomeWithItsSessionAndNoLoss() throws Exception {
        Client retainer = Client.connect(node(0), "restart-retainer", true);
        retainer.publish("retained/before-restart", "kept", 1, true);
        List<Client> subs = new ArrayList<>();
        Map<Integer, Integer> predicted = new HashMap<>();
        try {
            for (int s = 0; s < 9; s++) {
                Client sub = Client.connect(vip(), "home-sub-" + s, false);
                sub.subscribe("restart/t", 1);
                subs.add(sub);
                predicted.merge(home("home-sub-" + s), 1, Integer::sum);
            }
            int[] before = vipConnections();
            for (int i = 0; i < NODES; i++) {
                assertEquals(predicted.getOrDefault(i, 0), before[i], "VIP connections on hivemq-" + i
                        + " = clients whose rendezvous home it is");
            }
            assertTrue(predicted.getOrDefault(1, 0) > 0, "some client lives on hivemq-1: " + predicted);
            Client pub = Client.connect(node(0), "restart-pub", true);
            long pidBefore = service.nodeStatus(1).brokerPid();
            Cli.Result restart = cluster.run("--name", SERVICE, "pod", "restart", "hivemq-1");
            assertEquals(0, restart.exitCode(), restart.toString());
            Poll.until(Duration.ofSeconds(30), "hivemq-1's broker went down", () -> !accepts(node(1)));
            retainer.publish("retained/while-away", "queued", 1, true);
            retainer.close();
            int count = 0;
            long end = System.currentTimeMillis() + 60_000;
            boolean restarted = false;
            while (System.currentTimeMillis() < end && !(restarted && count >= 200)) {
                pub.publish("restart/t", Integer.toString(count++), 1, false);
                Poll.sleep(20);
                if (count % 25 == 0) {
                    try {
                        NodeStatus s = service.nodeStatus(1);
                        restarted = s.healthy() && s.brokerPid() > 0 && s.brokerPid() != pidBefore;
                    } catch (Exception | AssertionError agentRestarting) {
                        restarted = false; // the pod restart relaunches the agent too
                    }
                }
            }
            pub.close();
            assertTrue(restarted, "hivemq-1 restarted");
            for (Client sub : subs) {
                Poll.until(Duration.ofSeconds(60), sub.id + " connected again", sub::reconnectIfNeeded);
            }
            int total = count;
            for (Client sub : subs) {
                Poll.until(Duration.ofSeconds(60), sub.id + " has every message",
                        () -> sub.payloads("restart/t").stream().distinct().count() >= total);
            }
            int[] after = vipConnections();
            int reconnected = 0;
            for (Client sub : subs) {
                if (sub.reconnects > 0) {
                    reconnected++;
                    assertTrue(sub.lastSessionPresent, sub.id + " found its session (session present)");
                }
                List<String> got = sub.payloads("restart/t");
                long distinct = got.stream().distinct().count();
                assertEquals(total, distinct, sub.id + ": 0 messages lost");
                System.out.println(sub.id + " (home hivemq-" + home(sub.id) + ", reconnects " + sub.reconnects
                        + ", session present " + sub.lastSessionPresent + "): " + got.size() + " deliveries of "
                        + total + ", duplicates " + (got.size() - distinct));
            }
            System.out.println("VIP connections per node before " + java.util.Arrays.toString(before) + ", after "
                    + java.util.Arrays.toString(after) + "; " + reconnected + " clients reconnected");
            assertEquals(predicted.get(1), reconnected, "the clients of hivemq-1 reconnected");
            for (int i = 0; i < NODES; i++) {
                assertEquals(before[i], after[i], "every client back on its own node (hivemq-" + i + ")");
            }
            Client reader = Client.connect(node(1), "restart-retained-reader", true);
            reader.subscribe("retained/+", 1);
            Map<String, String> expectedRetained = Map.of("retained/before-restart", "kept", "retained/while-away", "queued");
            Poll.until(Duration.ofSeconds(10), "restarted hivemq-1 has the retained set",
                    () -> reader.received.size() >= 2);
            Poll.holds(Duration.ofMillis(500), () -> {
                Map<String, String> retained = new HashMap<>();
                reader.received.forEach(r -> retained.put(r.topic(), r.payload()));
                assertEquals(expectedRetained, retained,
                        "the restarted node has what was retained before and while it was away");
            });
            reader.close();
        } finally {
            subs.forEach(Client::close);
            retainer.close();
        }
    }

    private static boolean accepts(String host) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, 1883), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private String node(int i) {
        return service.layout().nodeAddress(i);
    }

    private String vip() {
        return service.layout().vipAddress();
    }

    private int[] vipConnections() {
        return service.vipConnections(NODES);
    }

    /**
     * The client's home node as the VIP computes it (endpoint-svc RendezvousChoice, repeated here on purpose: the
     * test states the expected placement independently of the service).
     */
    static int home(String clientId) {
        long key = 0xcbf29ce484222325L;
        for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
            key ^= b & 0xff;
            key *= 0x100000001b3L;
        }
        int best = -1;
        long bestWeight = 0;
        for (int node = 0; node < NODES; node++) {
            long w = mix(key ^ mix(0x9E3779B97F4A7C15L * (node + 1)));
            if (best < 0 || w > bestWeight) {
                best = node;
                bestWeight = w;
            }
        }
        return best;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    record Received(String topic, String payload) {
    }

    /** A Paho MQTT 5 client that records what it receives and reconnects (by the test) to read session present. */
    static final class Client {
        final String host;
        final String id;
        final boolean cleanStart;
        final MqttAsyncClient paho;
        final List<Received> received = new CopyOnWriteArrayList<>();
        volatile boolean lastSessionPresent;
        volatile int reconnects;

        private Client(String host, String id, boolean cleanStart) throws MqttException {
            this.host = host;
            this.id = id;
            this.cleanStart = cleanStart;
            this.paho = new MqttAsyncClient("tcp://" + host + ":1883", id, new MemoryPersistence());
            paho.setCallback(MessageCallback.onMessage(this::messageArrived));
        }

        static Client connect(String host, String id, boolean cleanStart) throws MqttException {
            Client client = new Client(host, id, cleanStart);
            client.lastSessionPresent = client.connectOnce();
            return client;
        }

        private boolean connectOnce() throws MqttException {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
            // Longer than the VIP's hold time: a client whose home restarts waits for it.
            options.setConnectionTimeout(45);
            options.setAutomaticReconnect(false);
            IMqttToken token = paho.connect(options);
            token.waitForCompletion(50_000);
            return token.getSessionPresent();
        }

        /** True once connected; reconnects when the server went away (the subscriptions live in the session). */
        boolean reconnectIfNeeded() {
            if (paho.isConnected()) {
                return true;
            }
            try {
                lastSessionPresent = connectOnce();
                reconnects++;
                return true;
            } catch (MqttException e) {
                return false;
            }
        }

        void subscribe(String filter, int qos) throws MqttException {
            paho.subscribe(filter, qos).waitForCompletion(10_000);
        }

        /**
         * Paho 1.2.5 (MQTT 5) can refuse a publish with "too many publishes in progress" just after the previous
         * PUBACK completed its token, before its own in-flight count drops. The message was not sent, so sending it
         * again is what a real client would do; anything else is a failure.
         */
        void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(qos);
            message.setRetained(retain);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    paho.publish(topic, message).waitForCompletion(10_000);
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Poll.sleep(5);
                }
            }
        }

        List<String> payloads(String topic) {
            return received.stream().filter(r -> r.topic().equals(topic)).map(Received::payload).toList();
        }

        void close() {
            try {
                if (paho.isConnected()) {
                    paho.disconnect().waitForCompletion(5_000);
                }
            } catch (MqttException ignored) {
                // closing anyway
            }
            try {
                paho.close(true);
            } catch (MqttException ignored) {
                // nothing left
            }
        }

        private void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
        }
    }
}
