package io.hivemqsuite.systemtest;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code benchmarks/routing/run.sh}: one 3-node cluster installed by the CLI; QoS 0 and QoS 1 throughput (a windowed
 * burst) and p50/p99 latency (paced) with the publisher and the subscriber on node 0 (baseline), the publisher on
 * node 0 and the subscriber on node 1, and both through the MQTT VIP with client ids whose rendezvous homes are
 * node 0 (publisher) and node 1 (subscriber). Each figure is the median of 3 rounds after a warm-up round; every row
 * also as a ratio to the same-node row of its QoS. Prints one table.
 */
@EnabledIfSystemProperty(named = "routing.benchmark", matches = "true")
class RoutingBenchmark {
    private static final int NODES = 3;
    private static final int BURST = Integer.getInteger("routing.benchmark.burst", 10_000);
    private static final int PACED = Integer.getInteger("routing.benchmark.paced", 1_000);
    /** At most this many messages between send and receipt: HiveMQ's per-client queue holds 1000 by default. */
    private static final int WINDOW = 500;
    private static final int PAYLOAD = 64;
    /** Measured rounds after the warm-up; each figure of the table is the median over them. */
    private static final int ROUNDS = Integer.getInteger("routing.benchmark.rounds", 3);

    private InstalledService service;

    record Route(String label, String pubHost, String pubId, String subHost, String subId) {
    }

    record Row(int qos, String path, double rate, double p50, double p99, String note) {
    }

    @Test
    void table() throws Exception {
        String table;
        try (TestCluster cluster = new TestCluster("hivemq-suite-bench-route-")) {
            service = cluster.install("routing-bench",
                    "{\"service\": {\"name\": \"routing-bench\"}, \"node\": {\"count\": 3, \"mem\": 1024, \"heap\": 256}}");
            Poll.until(Duration.ofSeconds(60), "every node in VIP rotation", () -> inRotation() == NODES);
            String vipPub = idWithHome("rb-vip-pub-", 0);
            String vipSub = idWithHome("rb-vip-sub-", 1);
            String node0 = service.layout().nodeAddress(0);
            String node1 = service.layout().nodeAddress(1);
            String vip = service.layout().vipAddress();
            List<Route> routes = List.of(
                    new Route("same node (hivemq-0 -> hivemq-0)", node0, "rb-same-pub", node0, "rb-same-sub"),
                    new Route("across nodes (hivemq-0 -> hivemq-1)", node0, "rb-cross-pub", node1, "rb-cross-sub"),
                    new Route("VIP " + vip + ":1883", vip, vipPub, vip, vipSub));
            // per QoS and route, one row per measured round
            Map<String, List<Row>> measured = new java.util.LinkedHashMap<>();
            List<String> placements = new ArrayList<>();
            for (int round = 0; round <= ROUNDS; round++) {
                // round 0 warms this JVM's JIT and the brokers and is not reported; the rounds interleave the
                // routes, so a burst of load from elsewhere on the machine hits one round, not one route
                boolean warmup = round == 0;
                for (int qos : new int[]{0, 1}) {
                    for (Route route : routes) {
                        Row row = measure(route, qos, warmup ? BURST / 5 : BURST, warmup ? PACED / 5 : PACED,
                                round == 1 ? placements : null);
                        if (!warmup) {
                            measured.computeIfAbsent(qos + " " + route.label(), k -> new ArrayList<>()).add(row);
                        }
                    }
                }
            }
            List<Row> rows = measured.values().stream().map(RoutingBenchmark::median).toList();
            table = table(rows, placements, vipPub, vipSub);
        }
        // after the uninstall, so the table is the last thing in the output (run.sh prints from its header on)
        System.out.println(table);
    }

    private Row measure(Route route, int qos, int burst, int paced, List<String> placements) throws Exception {
        long[] latencies = new long[paced];
        AtomicInteger latencySlot = new AtomicInteger();
        AtomicInteger latencyCount = new AtomicInteger();
        AtomicInteger burstCount = new AtomicInteger();
        AtomicInteger probes = new AtomicInteger();
        AtomicLong lastReceipt = new AtomicLong();
        int[] vipBefore = vipConnections();
        MqttAsyncClient sub = new MqttAsyncClient("tcp://" + route.subHost() + ":1883", route.subId(), new MemoryPersistence());
        sub.setCallback(MessageCallback.onMessage((topic, message) -> {
            byte[] p = message.getPayload();
            if (p.length != PAYLOAD) {
                probes.incrementAndGet();
                return;
            }
            long now = System.nanoTime();
            ByteBuffer b = ByteBuffer.wrap(p);
            long sent = b.getLong();
            if (b.get() == 'L') {
                int i = latencySlot.getAndIncrement();
                if (i < paced) {
                    latencies[i] = now - sent;
                }
                latencyCount.incrementAndGet();
            } else {
                lastReceipt.set(now);
                burstCount.incrementAndGet();
            }
        }));
        sub.connect(BenchmarkConnections.options()).waitForCompletion(10_000);
        MqttAsyncClient pub = new MqttAsyncClient("tcp://" + route.pubHost() + ":1883", route.pubId(), new MemoryPersistence());
        pub.setCallback(MessageCallback.onMessage((t, m) -> { }));
        pub.connect(BenchmarkConnections.options()).waitForCompletion(10_000);
        String note = "";
        try {
            String label = route.label();
            if (route.pubHost().equals(service.layout().vipAddress())) {
                int[] expected = vipBefore.clone();
                expected[ClusterRoutingSystemTest.home(route.pubId())]++;
                expected[ClusterRoutingSystemTest.home(route.subId())]++;
                int[] seen = Poll.until(Duration.ofSeconds(5), "the VIP's connection counts", () -> {
                    int[] now = vipConnections();
                    return Arrays.equals(now, expected) ? now : null;
                });
                label += " (pub -> hivemq-" + ClusterRoutingSystemTest.home(route.pubId()) + ", sub -> hivemq-"
                        + ClusterRoutingSystemTest.home(route.subId()) + ")";
                if (placements != null) {
                    placements.add("QoS " + qos + ": VIP connections per node before " + Arrays.toString(vipBefore)
                            + ", with both clients " + Arrays.toString(seen));
                }
            }
            String topic = "bench/route/" + qos + "/" + UUID.randomUUID();
            sub.subscribe(topic, qos).waitForCompletion(10_000);
            // the subscription reaches the publisher's node: probe until one arrives
            Poll.until(Duration.ofSeconds(30), "the subscription routed to the publisher's node", () -> {
                send(pub, topic, 0, new byte[1]);
                Thread.sleep(50);
                return probes.get() > 0;
            });
            Thread.sleep(300);

            // latency: paced at ~500 messages/s, so queueing does not dominate
            for (int i = 0; i < paced; i++) {
                send(pub, topic, qos, payload('L'));
                Thread.sleep(2);
            }
            Poll.until(Duration.ofSeconds(30), "every paced message", () -> latencyCount.get() >= paced);
            Arrays.sort(latencies);

            // throughput: first send to last receipt, at most WINDOW messages between send and receipt
            long start = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                long stalled = System.nanoTime();
                while (i - burstCount.get() >= WINDOW && System.nanoTime() - stalled < 5_000_000_000L) {
                    Thread.onSpinWait();
                }
                send(pub, topic, qos, payload('B'));
            }
            long end = System.nanoTime() + 60_000_000_000L;
            while (burstCount.get() < burst && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            int received = burstCount.get();
            if (received < burst) {
                note = "  (" + (burst - received) + " of " + burst + " not received)";
            }
            double rate = received / ((lastReceipt.get() - start) / 1e9);
            return new Row(qos, label, rate, latencies[paced / 2] / 1e6,
                    latencies[(int) Math.min(paced - 1, Math.ceil(paced * 0.99) - 1)] / 1e6, note);
        } finally {
            close(pub);
            close(sub);
        }
    }

    /** The median of each figure over the rounds (separately), and every round's notes. */
    private static Row median(List<Row> rounds) {
        java.util.function.Function<java.util.function.ToDoubleFunction<Row>, Double> median = f -> {
            double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        };
        Row first = rounds.get(0);
        return new Row(first.qos(), first.path(), median.apply(Row::rate), median.apply(Row::p50),
                median.apply(Row::p99), String.join("", rounds.stream().map(Row::note).toList()));
    }

    private static byte[] payload(char kind) {
        return ByteBuffer.allocate(PAYLOAD).putLong(System.nanoTime()).put((byte) kind).array();
    }

    /** Paho refuses a QoS 1 publish beyond the broker's receive maximum (10): wait a little and send it again. */
    private static void send(MqttAsyncClient client, String topic, int qos, byte[] payload) throws InterruptedException {
        while (true) {
            try {
                client.publish(topic, payload, qos, false);
                return;
            } catch (MqttException e) {
                Thread.sleep(0, 200_000);
            }
        }
    }

    private static void close(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
            client.close();
        } catch (MqttException e) {
            System.out.println("closing " + client.getClientId() + ": " + e);
        }
    }

    /** A client id with this prefix whose rendezvous home (as the VIP computes it) is {@code node}. */
    private static String idWithHome(String prefix, int node) {
        for (int i = 0; ; i++) {
            if (ClusterRoutingSystemTest.home(prefix + i) == node) {
                return prefix + i;
            }
        }
    }

    private int inRotation() {
        return (int) service.mqttVipNodes().stream().filter(n -> Boolean.TRUE.equals(n.get("inRotation"))).count();
    }

    private int[] vipConnections() {
        return service.vipConnections(NODES);
    }

    private String table(List<Row> rows, List<String> placements, String vipPub, String vipSub) {
        StringBuilder out = new StringBuilder(String.format("%n=== cluster routing benchmark (3-node service "
                        + "routing-bench installed by the CLI, 127.0.%d.x, heap 256 MB, Paho MQTT 5, %d-byte payloads, "
                        + "burst %d, paced %d, median of %d rounds, %d cores) ===%n", service.endpoint().slot(), PAYLOAD, BURST,
                PACED, ROUNDS, Runtime.getRuntime().availableProcessors()));
        out.append(String.format("%-4s %-64s %9s %8s %8s   %-22s%n", "qos", "path", "msg/s", "p50 ms", "p99 ms",
                "vs same node: msg/s p50 p99"));
        for (Row row : rows) {
            Row base = rows.stream().filter(r -> r.qos() == row.qos()).findFirst().orElseThrow();
            out.append(String.format("%-4d %-64s %9.0f %8.2f %8.2f   %5.2fx %5.2fx %5.2fx%s%n", row.qos(), row.path(),
                    row.rate(), row.p50(), row.p99(), row.rate() / base.rate(), row.p50() / base.p50(),
                    row.p99() / base.p99(), row.note()));
        }
        out.append(String.format("%nVIP client ids: publisher %s (rendezvous home hivemq-%d), subscriber %s (home hivemq-%d)%n",
                vipPub, ClusterRoutingSystemTest.home(vipPub), vipSub, ClusterRoutingSystemTest.home(vipSub)));
        placements.forEach(p -> out.append(p).append('\n'));
        return out.toString();
    }
}
