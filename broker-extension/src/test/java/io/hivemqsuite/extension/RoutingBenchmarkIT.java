package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Routing benchmark, run by {@code benchmarks/routing/run.sh} (skipped in the normal build): three broker
 * processes, publisher on node 0, subscriber on node 0 (same node) or node 1 (across nodes); then the routing
 * traffic for a topic only node 1 wants, with and without the subscription digest. Prints one table.
 */
class RoutingBenchmarkIT {
    private static final int BURST = Integer.getInteger("routing.benchmark.burst", 10_000);
    private static final int PACED = Integer.getInteger("routing.benchmark.paced", 1_000);
    private static final int TRAFFIC = 2_000;
    private static final int WINDOW = 500;
    /** Each same/across measurement this many times, interleaved; the table shows medians (noisy 2-core machine). */
    private static final int ROUNDS = Math.max(1, Integer.getInteger("routing.benchmark.rounds", 1));
    /** The two clusters listen on this port and the next (other worktrees on this machine may hold 1895/1896). */
    private static final int PORT = Integer.getInteger("routing.benchmark.port", 1895);

    @Test
    void benchmark() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("routing.benchmark"), "run with -Drouting.benchmark=true");
        List<MqttQos> qoss = List.of(MqttQos.AT_MOST_ONCE, MqttQos.AT_LEAST_ONCE);
        // results.get(2 * qos index + subscriber node): one result per round; rounds interleave same/across, so a
        // noisy phase of the machine hits both paths of a round alike
        List<List<Result>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(new ArrayList<>());
        }
        long withDigest = -1;
        long withoutDigest;
        if (!Boolean.getBoolean("routing.benchmark.trafficOnly"))
        try (Cluster cluster = Cluster.start(3, PORT, true, 1_000_000)) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int q = 0; q < qoss.size(); q++) {
                    for (int subNode : List.of(0, 1)) {
                        results.get(2 * q + subNode).add(run(cluster, qoss.get(q), subNode));
                    }
                }
            }
            withDigest = traffic(cluster);
        }
        List<String> rows = new ArrayList<>();
        for (int q = 0; q < qoss.size() && !results.get(0).isEmpty(); q++) {
            for (int subNode : List.of(0, 1)) {
                List<Result> r = results.get(2 * q + subNode);
                long missing = r.stream().mapToLong(Result::missing).sum();
                rows.add(String.format("%-4d %-13s %12.0f %10.2f %10.2f %14.1f%s%s%n", qoss.get(q).getCode(),
                        subNode == 0 ? "same node" : "across nodes", median(r, Result::rate),
                        median(r, Result::p50), median(r, Result::p99), median(r, Result::cpu),
                        missing == 0 ? "" : "  (incomplete: " + missing + " missing)",
                        ROUNDS == 1 ? "" : "  rounds: " + r.stream().map(x -> String.format("%.0f", x.rate()))
                                .collect(java.util.stream.Collectors.joining(" "))));
            }
        }
        if (ROUNDS > 1) {
            for (int q = 0; q < qoss.size() && !results.get(0).isEmpty(); q++) {
                List<Double> ratios = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    ratios.add(results.get(2 * q + 1).get(round).rate() / results.get(2 * q).get(round).rate());
                }
                rows.add(String.format("qos %d across/same per round: %s (median %.0f %%)%n", qoss.get(q).getCode(),
                        ratios.stream().map(x -> String.format("%.0f %%", 100 * x))
                                .collect(java.util.stream.Collectors.joining(", ")),
                        100 * ratios.stream().sorted().toList().get(ratios.size() / 2)));
            }
        }
        try (Cluster cluster = Cluster.start(3, PORT + 1, false, 1_000_000)) {
            withoutDigest = traffic(cluster);
        }
        StringBuilder table = new StringBuilder("\n=== routing benchmark (3 CE broker processes, 127.0.77.x, "
                + Runtime.getRuntime().availableProcessors() + " cores) ===\n");
        table.append(String.format("%-4s %-13s %12s %10s %10s %14s%n", "qos", "path", "msg/s", "p50 ms", "p99 ms",
                "broker cpu us"));
        rows.forEach(table::append);
        table.append(String.format("%nrouting traffic for %d publishes on node 0, subscriber only on node 1:%n", TRAFFIC));
        table.append(String.format("  envelopes sent by node 0 with digest:    %d%n", withDigest));
        table.append(String.format("  envelopes sent by node 0 without digest: %d%n", withoutDigest));
        System.out.println(table);
    }

    /** cpu: CPU time the three broker processes used during the burst, per message (microseconds). */
    record Result(double rate, double p50, double p99, long missing, double cpu) {
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> field) {
        double[] v = results.stream().mapToDouble(field).sorted().toArray();
        return v[v.length / 2];
    }

    private static Result run(Cluster cluster, MqttQos qos, int subNode) throws Exception {
        String topic = "bench/" + UUID.randomUUID();
        Mqtt5AsyncClient sub = client(cluster, subNode);
        Mqtt5AsyncClient pub = client(cluster, 0);
        long[] latencies = new long[PACED];
        CountDownLatch[] phase = {new CountDownLatch(PACED)};
        int[] index = {0};
        sub.subscribeWith().topicFilter(topic).qos(qos).callback(p -> {
            long sent = ByteBuffer.wrap(p.getPayloadAsBytes()).getLong();
            synchronized (latencies) {
                if (index[0] < PACED) {
                    latencies[index[0]++] = System.nanoTime() - sent;
                }
            }
            phase[0].countDown();
        }).send().get(10, TimeUnit.SECONDS);
        Thread.sleep(500); // the digest reaches node 0

        // latency: paced at 500 messages/s, so queueing in the client does not dominate
        for (int i = 0; i < PACED; i++) {
            send(pub, topic, qos);
            Thread.sleep(2);
        }
        phase[0].await(60, TimeUnit.SECONDS);
        Arrays.sort(latencies);

        // throughput: a burst with at most WINDOW messages between send and receipt (HiveMQ's per-client queue
        // holds 1000 by default; an unbounded burst would measure its discards), first send to last receipt
        phase[0] = new CountDownLatch(BURST);
        long cpuStart = cluster.cpuNanos();
        long start = System.nanoTime();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            while ((i - (BURST - phase[0].getCount())) >= WINDOW) {
                Thread.onSpinWait();
            }
            sends.add(send(pub, topic, qos));
        }
        boolean all = phase[0].await(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (cluster.cpuNanos() - cpuStart) / 1e3 / BURST;
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pub.disconnect().get();
        sub.disconnect().get();
        return new Result(BURST / seconds, latencies[PACED / 2] / 1e6, latencies[(int) (PACED * 0.99)] / 1e6,
                all ? 0 : phase[0].getCount(), cpu);
    }

    private static CompletableFuture<?> send(Mqtt5AsyncClient pub, String topic, MqttQos qos) {
        byte[] payload = ByteBuffer.allocate(64).putLong(System.nanoTime()).array();
        return pub.publishWith().topic(topic).qos(qos).payload(payload).send();
    }

    private static long traffic(Cluster cluster) throws Exception {
        String topic = "traffic/" + UUID.randomUUID();
        Mqtt5AsyncClient sub = client(cluster, 1);
        CountDownLatch got = new CountDownLatch(TRAFFIC);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(p -> got.countDown())
                .send().get(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        String before = cluster.stats(0);
        Mqtt5AsyncClient pub = client(cluster, 0);
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < TRAFFIC; i++) {
            sends.add(send(pub, topic, MqttQos.AT_LEAST_ONCE));
            if (i % 500 == 499) {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        if (!got.await(60, TimeUnit.SECONDS)) {
            System.out.println("traffic: subscriber on node 1 missed " + got.getCount() + "\n" + cluster.stats(0)
                    + "\n" + cluster.stats(1) + "\n" + cluster.stats(2));
            for (BrokerProcess b : cluster.nodes) {
                String log = b.log();
                System.out.println("--- node " + b.index + " log tail:\n" + log.substring(Math.max(0, log.length() - 3000)));
            }
        }
        String after = cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "sent")
                >= Cluster.peerCount(before, 1, "sent") + TRAFFIC, 10_000);
        Thread.sleep(1000);
        after = cluster.stats(0);
        System.out.println("traffic stats before: " + before + "\nafter: " + after);
        pub.disconnect().get();
        sub.disconnect().get();
        return Cluster.peerCount(after, 1, "sent") - Cluster.peerCount(before, 1, "sent")
                + Cluster.peerCount(after, 2, "sent") - Cluster.peerCount(before, 2, "sent");
    }

    private static Mqtt5AsyncClient client(Cluster cluster, int node) throws Exception {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("bench-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(cluster.node(node).host).serverPort(cluster.node(node).port).buildAsync();
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }
}
