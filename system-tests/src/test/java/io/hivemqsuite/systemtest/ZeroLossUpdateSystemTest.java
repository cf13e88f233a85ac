package io.hivemqsuite.systemtest;

import io.restassured.response.Response;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The promise of "listener changes on a live cluster with no message lost": QoS 1 publishers and persistent-session
 * subscribers, all through the MQTT VIP, keep going while {@code update start} restarts every node; afterwards every
 * subscriber has every message of every publisher (duplicates allowed, QoS 1 is at least once). Through the VIP a
 * publisher and a subscriber land on different CE brokers, so this also needs the broker extension's router.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZeroLossUpdateSystemTest {
    private static final String SERVICE = "zeroloss";
    private static final String BASE = "{\"service\": {\"name\": \"zeroloss\"}, \"node\": {\"count\": 3, \"mem\": 512, \"heap\": 128}";
    private static final int PUBLISHERS = 2;
    private static final int SUBSCRIBERS = 2;

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-zero-");
        service = cluster.install(SERVICE, BASE + "}");
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    @Test
    void noMessageIsLostWhileEveryNodeRestarts() throws Exception {
        String vip = service.layout().vipAddress();
        List<Set<String>> received = new ArrayList<>();
        List<MqttAsyncClient> subscribers = new ArrayList<>();
        for (int s = 0; s < SUBSCRIBERS; s++) {
            Set<String> got = ConcurrentHashMap.newKeySet();
            received.add(got);
            subscribers.add(subscriber(vip, "zero-sub-" + s, got));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger[] sent = new AtomicInteger[PUBLISHERS];
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            sent[p] = new AtomicInteger();
            int id = p;
            Thread thread = new Thread(() -> publish(vip, id, sent[id], running), "publisher-" + p);
            thread.start();
            publishers.add(thread);
        }
        // Traffic is flowing before the update: every publisher has had messages acknowledged.
        Poll.until(Duration.ofSeconds(60), "every publisher has 50 messages acknowledged",
                () -> java.util.Arrays.stream(sent).allMatch(n -> n.get() >= 50));
        String atStart = sent[0].get() + "/" + sent[1].get();
        Path options = Files.writeString(cluster.home.resolve("zero-update.json"),
                BASE + ", \"hivemq\": {\"hivemq_log_level\": \"WARN\"}}");
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", options.toString());
        assertEquals(0, update.exitCode(), update.toString());
        Poll.until(Duration.ofMinutes(4), "update plan COMPLETE", () -> {
            Response plan = service.get("/v1/plans/update");
            return plan.statusCode() == 200;
        });
        String atEnd = sent[0].get() + "/" + sent[1].get();
        // ... and after it, through the updated nodes.
        int[] endCounts = java.util.Arrays.stream(sent).mapToInt(AtomicInteger::get).toArray();
        Poll.until(Duration.ofSeconds(60), "every publisher has 50 more messages acknowledged after the update",
                () -> java.util.stream.IntStream.range(0, PUBLISHERS).allMatch(p -> sent[p].get() >= endCounts[p] + 50));
        running.set(false);
        for (Thread thread : publishers) {
            thread.join(30_000);
        }
        // Queued messages reach reconnected persistent sessions: give them time.
        try {
            Poll.until(Duration.ofSeconds(60), "every message delivered", () -> missing(received, sent).isEmpty());
        } catch (AssertionError timedOut) {
            // the assertion below says how many and which
        }
        for (MqttAsyncClient subscriber : subscribers) {
            subscriber.disconnect().waitForCompletion(5_000);
            subscriber.close();
        }
        List<String> lost = missing(received, sent);
        if (!lost.isEmpty()) {
            // Whether the brokers dropped messages (a full client queue) tells a routing fault from a queue limit.
            String metrics = cluster.run("--name", SERVICE, "metrics").out();
            fail(lost.size() + " of " + (SUBSCRIBERS * (sent[0].get() + sent[1].get()))
                    + " deliveries lost (publisher seq when the update started " + atStart + ", when it was COMPLETE "
                    + atEnd + "); missing (subscriber, publisher, seq range):" + ranges(received, sent)
                    + "\nbrokers' " + metrics.lines().filter(l -> l.contains("dropped") || l.startsWith("METRIC"))
                    .toList() + "\nupdate plan: " + service.get("/v1/plans/update").asString());
        }
    }

    /** The missing deliveries as ranges: " s<subscriber> p<publisher> <first>-<last>" each. */
    private static String ranges(List<Set<String>> received, AtomicInteger[] sent) {
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < received.size(); s++) {
            for (int p = 0; p < sent.length; p++) {
                int start = -1;
                for (int seq = 0; seq <= sent[p].get(); seq++) {
                    boolean lacks = seq < sent[p].get() && !received.get(s).contains(p + ":" + seq);
                    if (lacks && start < 0) {
                        start = seq;
                    } else if (!lacks && start >= 0) {
                        out.append(" s").append(s).append(" p").append(p).append(' ').append(start).append('-')
                                .append(seq - 1);
                        start = -1;
                    }
                }
            }
        }
        return out.toString();
    }

    private static List<String> missing(List<Set<String>> received, AtomicInteger[] sent) {
        List<String> lost = new ArrayList<>();
        for (int s = 0; s < received.size(); s++) {
            for (int p = 0; p < sent.length; p++) {
                for (int seq = 0; seq < sent[p].get(); seq++) {
                    if (!received.get(s).contains(p + ":" + seq)) {
                        lost.add("subscriber " + s + " lacks " + p + ":" + seq);
                    }
                }
            }
        }
        return lost;
    }

    private static MqttAsyncClient subscriber(String vip, String clientId, Set<String> got) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + vip + ":1883", clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        options.setConnectionTimeout(5);
        client.setCallback(MessageCallback.onMessage((topic, message) ->
                got.add(new String(message.getPayload(), StandardCharsets.UTF_8))));
        client.connect(options).waitForCompletion(10_000);
        client.subscribe("st/zero/#", 1).waitForCompletion(10_000);
        return client;
    }

    /** QoS 1, one message at a time: a message counts as sent only when PUBACKed; a failed one is sent again. */
    private static void publish(String vip, int id, AtomicInteger sent, AtomicBoolean running) {
        try {
            MqttAsyncClient client = new MqttAsyncClient("tcp://" + vip + ":1883", "zero-pub-" + id,
                    new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            options.setConnectionTimeout(5);
            client.connect(options).waitForCompletion(10_000);
            while (running.get()) {
                int seq = sent.get();
                MqttMessage message = new MqttMessage((id + ":" + seq).getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                try {
                    IMqttToken token = client.publish("st/zero/" + id, message);
                    token.waitForCompletion(5_000);
                    int[] codes = token.getReasonCodes();
                    if (codes == null || codes.length == 0 || codes[0] < 0x80) {
                        sent.incrementAndGet();
                    }
                    Thread.sleep(20);
                } catch (MqttException e) {
                    Thread.sleep(200);
                }
            }
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (MqttException | InterruptedException e) {
            throw new IllegalStateException("publisher " + id + " failed", e);
        }
    }
}
