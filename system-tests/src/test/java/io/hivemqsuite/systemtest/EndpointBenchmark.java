package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code benchmarks/endpoints/run.sh}: one 2-node cluster; the same Paho measurements straight to one node, through
 * the VIP and through HAProxy (config from {@code endpoints --haproxy}); then an update that restarts every node,
 * with each node's time out of VIP rotation next to its broker's restart time. Prints one table.
 */
@EnabledIfSystemProperty(named = "endpoint.benchmark", matches = "true")
class EndpointBenchmark {
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 200);
    private static final int QOS0_MESSAGES = Integer.getInteger("bench.qos0", 20_000);
    private static final int QOS1_MESSAGES = Integer.getInteger("bench.qos1", 5_000);
    private static final int LATENCY_SAMPLES = Integer.getInteger("bench.latency", 1_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** A burst has ended when no message came for this long (QoS 0 messages the broker dropped never come). */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Map<String, Double> delivered = new java.util.concurrent.ConcurrentHashMap<>();

    record Row(String path, double connectionsPerSecond, double qos0PerSecond, double qos0Delivered,
               double qos1PerSecond, double[] qos0Latency, double[] qos1Latency) {
    }

    /** Each figure's median over the rounds (latencies: the median of the rounds' p50 and of their p99). */
    private static Row median(List<Row> rounds) {
        return new Row(rounds.get(0).path(), median(rounds, Row::connectionsPerSecond),
                median(rounds, Row::qos0PerSecond), median(rounds, Row::qos0Delivered), median(rounds, Row::qos1PerSecond),
                new double[]{median(rounds, r -> r.qos0Latency()[0]), median(rounds, r -> r.qos0Latency()[1])},
                new double[]{median(rounds, r -> r.qos1Latency()[0]), median(rounds, r -> r.qos1Latency()[1])});
    }

    private static double median(List<Row> rounds, java.util.function.ToDoubleFunction<Row> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    @Test
    void table() throws Exception {
        try (TestCluster cluster = new TestCluster("hivemq-suite-bench-ep-")) {
            InstalledService service = cluster.install("benchep",
                    "{\"service\": {\"name\": \"benchep\"}, \"node\": {\"count\": 2, \"mem\": 1024, \"heap\": 256}}");
            String hpAddress = "127.0." + service.endpoint().slot() + ".240";
            int hpPort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(hpAddress))) {
                hpPort = probe.getLocalPort();
            }
            Path config = cluster.home.resolve("haproxy.cfg");
            assertEquals(0, cluster.run("--name", "benchep", "endpoints", "--haproxy", "--bind",
                    hpAddress + ":" + hpPort, "--output", config.toString()).exitCode());
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
                    .redirectOutput(cluster.home.resolve("haproxy.log").toFile()).start();
            List<Row> rows = new ArrayList<>();
            try {
                Poll.until(Duration.ofSeconds(30), "both nodes in VIP rotation", () -> {
                    String vip = service.get("/v1/endpoints").asString();
                    return vip.contains("mqtt");
                });
                Poll.sleep(3_000);
                Map<String, String> targets = new LinkedHashMap<>();
                targets.put("direct to hivemq-0", "tcp://" + service.layout().nodeAddress(0) + ":1883");
                targets.put("VIP " + service.layout().vipAddress() + ":1883", "tcp://" + service.layout().vipAddress() + ":1883");
                targets.put("HAProxy " + hpAddress + ":" + hpPort, "tcp://" + hpAddress + ":" + hpPort);
                // One warm-up round (this JVM's JIT, the brokers, the VIP), then ROUNDS measured rounds, each in
                // another order of the paths: on a shared machine the load drifts within a round, and the medians of
                // rounds that alternate the order compare the paths under the same load.
                List<String> names = new ArrayList<>(targets.keySet());
                Map<String, List<Row>> measured = new LinkedHashMap<>();
                names.forEach(name -> measured.put(name, new ArrayList<>()));
                for (int round = 0; round <= ROUNDS; round++) {
                    for (int i = 0; i < names.size(); i++) {
                        String name = names.get((i + round) % names.size());
                        Row row = measure(name, targets.get(name), round == 0);
                        if (round > 0) {
                            measured.get(name).add(row);
                        }
                    }
                }
                names.forEach(name -> rows.add(median(measured.get(name))));
            } finally {
                haproxy.destroy();
                haproxy.waitFor(5, TimeUnit.SECONDS);
            }
            Path options = Files.writeString(cluster.home.resolve("bench-update.json"),
                    "{\"service\": {\"name\": \"benchep\"}, \"node\": {\"count\": 2, \"mem\": 1024, \"heap\": 256},"
                            + " \"hivemq\": {\"hivemq_log_level\": \"WARN\"}}");
            assertEquals(0, cluster.run("--name", "benchep", "update", "start", "--options", options.toString())
                    .exitCode());
            Poll.until(Duration.ofMinutes(3), "update COMPLETE", () -> service.get("/v1/plans/update").statusCode() == 200);
            JsonNode plan = new ObjectMapper().readTree(service.get("/v1/plans/update").asString());
            print(rows, plan);
        }
    }

    private static Row measure(String name, String uri, boolean warmup) throws Exception {
        int connections = warmup ? CONNECTIONS / 4 : CONNECTIONS;
        java.net.URI target = java.net.URI.create(uri);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            connectOnce(target.getHost(), target.getPort(), "bench-conn-" + i);
        }
        double connRate = connections / seconds(start);
        double qos0 = throughput(uri, 0, warmup ? QOS0_MESSAGES / 4 : QOS0_MESSAGES);
        double qos0Delivered = delivered.get(uri + "/0");
        double qos1 = throughput(uri, 1, warmup ? QOS1_MESSAGES / 4 : QOS1_MESSAGES);
        double[] lat0 = latency(uri, 0, warmup ? LATENCY_SAMPLES / 4 : LATENCY_SAMPLES);
        double[] lat1 = latency(uri, 1, warmup ? LATENCY_SAMPLES / 4 : LATENCY_SAMPLES);
        return new Row(name, connRate, qos0, qos0Delivered, qos1, lat0, lat1);
    }

    /**
     * One MQTT 3.1.1 CONNECT -> CONNACK -> DISCONNECT over a fresh TCP connection: what a connection costs on the
     * path, without a client library's own overhead in the figure.
     */
    private static void connectOnce(String host, int port, String clientId) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket(host, port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            byte[] id = clientId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(new byte[]{0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, (byte) (id.length >> 8), (byte) id.length});
            body.write(id);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(0x10);
            out.write(body.size());
            body.writeTo(out);
            out.flush();
            byte[] connack = socket.getInputStream().readNBytes(4);
            if (connack.length != 4 || connack[0] != 0x20 || connack[3] != 0) {
                throw new java.io.IOException("no CONNACK accepted: " + Arrays.toString(connack));
            }
            out.write(new byte[]{(byte) 0xE0, 0});
            out.flush();
        }
    }

    /** One connection publishes a burst and receives it (a subscriber and a publisher on one node: no routing). */
    private static double throughput(String uri, int qos, int messages) throws Exception {
        CountDownLatch all = new CountDownLatch(messages);
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
        MqttAsyncClient client = new MqttAsyncClient(uri, "bench-tp-" + qos, new MemoryPersistence());
        client.setCallback(MessageCallback.onMessage((topic, m) -> {
            last.set(System.nanoTime());
            all.countDown();
        }));
        MqttConnectionOptions options = BenchmarkConnections.options();
        client.connect(options).waitForCompletion(10_000);
        String topic = "bench/tp/" + qos + "/" + System.nanoTime();
        client.subscribe(topic, qos).waitForCompletion(10_000);
        byte[] payload = new byte[64];
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            while (true) {
                try {
                    client.publish(topic, payload, qos, false);
                    break;
                } catch (MqttException e) {
                    // too many in flight (QoS 1) or the send buffer is full: back off a little
                    Thread.sleep(0, 200_000);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean done = all.await(QUIET.toMillis(), TimeUnit.MILLISECONDS);
        while (!done && System.nanoTime() < deadline
                && System.nanoTime() - Math.max(last.get(), start) < QUIET.toNanos()) {
            done = all.await(QUIET.toMillis(), TimeUnit.MILLISECONDS);
        }
        long received = messages - all.getCount();
        double rate = received / ((last.get() - start) / 1e9);
        client.disconnect().waitForCompletion(10_000);
        client.close();
        if (!done) {
            // QoS 0 may be dropped by the broker when the receiver falls behind: the table shows the share.
            System.out.println(uri + " qos " + qos + " throughput: " + all.getCount() + " of " + messages
                    + " not received");
        }
        delivered.put(uri + "/" + qos, 100.0 * received / messages);
        return rate;
    }

    /** Round trips one at a time: publish, wait for the message, note the time. p50 and p99 in ms. */
    private static double[] latency(String uri, int qos, int samples) throws Exception {
        java.util.concurrent.BlockingQueue<Long> arrivals = new java.util.concurrent.LinkedBlockingQueue<>();
        MqttAsyncClient client = new MqttAsyncClient(uri, "bench-lat-" + qos, new MemoryPersistence());
        client.setCallback(MessageCallback.onMessage((t, m) ->
                arrivals.add(System.nanoTime() - ByteBuffer.wrap(m.getPayload()).getLong())));
        client.connect(BenchmarkConnections.options()).waitForCompletion(10_000);
        String topic = "bench/lat/" + qos + "/" + System.nanoTime();
        client.subscribe(topic, qos).waitForCompletion(10_000);
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            client.publish(topic, ByteBuffer.allocate(8).putLong(System.nanoTime()).array(), qos, false);
            Long took = arrivals.poll(10, TimeUnit.SECONDS);
            ms[i] = took == null ? 10_000 : took / 1e6;
        }
        client.disconnect().waitForCompletion(10_000);
        client.close();
        Arrays.sort(ms);
        return new double[]{ms[samples / 2], ms[(int) Math.min(samples - 1, Math.ceil(samples * 0.99) - 1)]};
    }


    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String ratios(String label, Row a, Row b) {
        return String.format("%-40s %7.2fx %10.2fx %10s %10.2fx %7.2fx / %5.2fx %7.2fx / %5.2fx%n", label,
                a.connectionsPerSecond() / b.connectionsPerSecond(), a.qos0PerSecond() / b.qos0PerSecond(), "",
                a.qos1PerSecond() / b.qos1PerSecond(), a.qos0Latency()[0] / b.qos0Latency()[0],
                a.qos0Latency()[1] / b.qos0Latency()[1], a.qos1Latency()[0] / b.qos1Latency()[0],
                a.qos1Latency()[1] / b.qos1Latency()[1]);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static void print(List<Row> rows, JsonNode plan) {
        StringBuilder out = new StringBuilder(String.format("%n=== endpoint benchmark (2 nodes, heap 256 MB, Paho MQTT 5,"
                + " 64-byte payloads; median of %d rounds, each in another order of the paths)%n", ROUNDS));
        out.append(String.format("%-40s %8s %11s %10s %11s %16s %16s%n", "path", "conn/s", "QoS0 msg/s", "QoS0 recv",
                "QoS1 msg/s", "QoS0 p50/p99 ms", "QoS1 p50/p99 ms"));
        for (Row row : rows) {
            out.append(String.format("%-40s %8.0f %11.0f %9.0f%% %11.0f %7.2f / %6.2f %7.2f / %6.2f%n", row.path(),
                    row.connectionsPerSecond(), row.qos0PerSecond(), row.qos0Delivered(), row.qos1PerSecond(),
                    row.qos0Latency()[0], row.qos0Latency()[1], row.qos1Latency()[0], row.qos1Latency()[1]));
        }
        Row direct = rows.get(0);
        Row vip = rows.get(1);
        Row haproxy = rows.get(2);
        out.append(ratios("VIP / direct", vip, direct));
        out.append(ratios("VIP / HAProxy", vip, haproxy));
        out.append(ratios("HAProxy / direct", haproxy, direct));
        out.append(String.format("targets: VIP conn/s >= HAProxy's: %s; VIP QoS1 >= 0.90 x direct: %s;"
                        + " VIP p99 <= 1.2 x direct (QoS0, QoS1): %s%n",
                verdict(vip.connectionsPerSecond() >= haproxy.connectionsPerSecond()),
                verdict(vip.qos1PerSecond() >= 0.9 * direct.qos1PerSecond()),
                verdict(vip.qos0Latency()[1] <= 1.2 * direct.qos0Latency()[1]
                        && vip.qos1Latency()[1] <= 1.2 * direct.qos1Latency()[1])));
        out.append(String.format("%n%-12s %14s %18s %22s%n", "update", "broker stop", "restart->healthy",
                "out of VIP rotation"));
        Pattern figures = Pattern.compile("stopped in (\\d+) ms, restarted with the new configuration in (\\d+) ms; "
                + "out of VIP rotation (\\d+) ms");
        for (JsonNode step : plan.path("phases").path(0).path("steps")) {
            Matcher m = figures.matcher(step.path("message").asText());
            if (m.find()) {
                out.append(String.format("%-12s %11s ms %15s ms %19s ms%n", step.path("name").asText().split(":")[0],
                        m.group(1), m.group(2), m.group(3)));
            } else {
                out.append(step.path("name").asText()).append(": ").append(step.path("message").asText()).append('\n');
            }
        }
        System.out.println(out);
    }
}
