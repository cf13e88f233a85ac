package io.hivemqsuite.systemtest;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the metrics cost (benchmarks/metrics/run.sh, {@code -Dmetrics.benchmark=true}): two 1-node services side by side,
 * one with metrics every second and one with {@code hivemq.metrics_enabled=false}; QoS 1 bursts on each, interleaved
 * round by round, so both see the same machine; then metrics-svc's CPU and RSS over the run.
 */
class MetricsBenchmark {
    private static final int BURST = Integer.getInteger("metrics.benchmark.burst", 20_000);
    private static final int ROUNDS = Integer.getInteger("metrics.benchmark.rounds", 5);
    private static final int WINDOW = 500;
    /**
     * The package's defaults are no benchmark's: a receive maximum of 10 refuses a window of 500 in flight (Paho 32202),
     * and a queue of 1000 per client discards what the subscriber of a burst has not taken yet.
     */
    private static final String LIMITS = ", \"mqtt\": {\"limits\": {\"server_receive_maximum\": " + 2 * WINDOW
            + ", \"queued_message_max_queue_size\": 100000}}";

    @Test
    void brokerThroughputWithMetricsEverySecondAndWithout() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("metrics.benchmark"), "run with -Dmetrics.benchmark=true");
        try (TestCluster cluster = new TestCluster("hivemq-suite-mbench-")) {
            InstalledService on = cluster.install("mbon", "{\"service\": {\"name\": \"mbon\"}, \"node\": {\"count\": 1, "
                    + "\"mem\": 768, \"heap\": 256}, \"hivemq\": {\"metrics_interval\": 1}" + LIMITS + "}");
            InstalledService off = cluster.install("mboff", "{\"service\": {\"name\": \"mboff\"}, \"node\": {\"count\": 1, "
                    + "\"mem\": 768, \"heap\": 256}, \"hivemq\": {\"metrics_enabled\": false}" + LIMITS + "}");
            for (InstalledService s : List.of(on, off)) {
                Poll.until(Duration.ofSeconds(60), s.name() + " healthy", () -> s.nodeStatus(0).healthy());
            }
            long metricsSvc = metricsSvcPid(on);
            burst(on.layout().nodeAddress(0), BURST / 4); // warm-up of both brokers and of the JIT
            burst(off.layout().nodeAddress(0), BURST / 4);
            long cpuBefore = cpuTicks(metricsSvc);
            long start = System.nanoTime();
            double[] with = new double[ROUNDS];
            double[] without = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                // alternate which goes first, so a drift of the machine's load does not favour one side
                if (r % 2 == 0) {
                    with[r] = burst(on.layout().nodeAddress(0), BURST);
                    without[r] = burst(off.layout().nodeAddress(0), BURST);
                } else {
                    without[r] = burst(off.layout().nodeAddress(0), BURST);
                    with[r] = burst(on.layout().nodeAddress(0), BURST);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (cpuTicks(metricsSvc) - cpuBefore) / 100.0;
            long rssKb = rssKb(metricsSvc);
            StringBuilder table = new StringBuilder("=== metrics benchmark (QoS 1, burst " + BURST + ", window " + WINDOW
                    + ", publisher and subscriber on the node)\n| round | metrics every 1 s msg/s | metrics off msg/s | ratio |\n|---|---|---|---|\n");
            for (int r = 0; r < ROUNDS; r++) {
                table.append(String.format("| %d | %.0f | %.0f | %.3f |%n", r + 1, with[r], without[r], with[r] / without[r]));
            }
            double m1 = median(with);
            double m0 = median(without);
            table.append(String.format("| median | %.0f | %.0f | %.3f |%n", m1, m0, m1 / m0));
            table.append(String.format("metrics-svc (1 node, 1 s): RSS %.1f MB, CPU %.2f s in %.0f s (%.2f %% of one core)%n",
                    rssKb / 1024.0, cpu, seconds, 100 * cpu / seconds));
            System.out.println(table);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** msg/s from the first publish to the last receipt, QoS 1 both ways, at most WINDOW unacknowledged. */
    private static double burst(String host, int count) throws Exception {
        String uri = "tcp://" + host + ":1883";
        MqttAsyncClient sub = new MqttAsyncClient(uri, "mb-sub-" + System.nanoTime(), new MemoryPersistence());
        MqttAsyncClient pub = new MqttAsyncClient(uri, "mb-pub-" + System.nanoTime(), new MemoryPersistence());
        AtomicInteger received = new AtomicInteger();
        sub.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.incrementAndGet();
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        try {
            sub.connect(BenchmarkConnections.options()).waitForCompletion(10_000);
            sub.subscribe("bench/m", 1).waitForCompletion(10_000);
            pub.connect(BenchmarkConnections.options()).waitForCompletion(10_000);
            byte[] payload = new byte[64];
            long start = System.nanoTime();
            List<IMqttToken> inFlight = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                inFlight.add(pub.publish("bench/m", payload, 1, false));
                if (inFlight.size() == WINDOW) {
                    for (IMqttToken t : inFlight) {
                        t.waitForCompletion(30_000);
                    }
                    inFlight.clear();
                }
            }
            for (IMqttToken t : inFlight) {
                t.waitForCompletion(30_000);
            }
            Poll.until(Duration.ofSeconds(60), "all " + count + " received", () -> received.get() >= count);
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            for (MqttAsyncClient c : List.of(pub, sub)) {
                try {
                    c.disconnect().waitForCompletion(5_000);
                    c.close();
                } catch (MqttException ignored) {
                    // the broker goes away with the service anyway
                }
            }
        }
    }

    private static long metricsSvcPid(InstalledService service) {
        return SuiteProcesses.containing(service.serviceDir().toString()).stream()
                .filter(p -> p.isJava() && p.commandLine().contains(SuiteProcesses.serviceJar("metrics-svc")))
                .findFirst().orElseThrow(() -> new AssertionError("no metrics-svc process")).pid();
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
                .orElse(-1L);
    }
}
