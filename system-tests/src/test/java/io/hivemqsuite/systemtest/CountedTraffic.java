package io.hivemqsuite.systemtest;

import io.hivemqsuite.systemtest.ClusterRoutingSystemTest.Client;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QoS 1 publishers and persistent-session subscribers through the MQTT VIP that run while a test changes the
 * cluster, and the bookkeeping to say afterwards, for every (publisher, sequence) pair a subscriber was owed, whether
 * it arrived, and how many arrived twice. A publisher counts a message as sent only when it is PUBACKed (a failed one
 * is sent again with the same sequence); a subscriber is owed everything PUBACKed after its SUBACK. A subscriber that
 * loses its connection reconnects as a real client would (same id, clean start false) and subscribes again only when
 * the broker says its session is gone, which is counted.
 */
final class CountedTraffic implements AutoCloseable {
    static final String TOPIC = "el/load/";

    private final String vip;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Publisher> publishers = new CopyOnWriteArrayList<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    CountedTraffic(String vip) {
        this.vip = vip;
    }

    final class Publisher {
        final String id;
        final AtomicInteger sent = new AtomicInteger();
        /** The longest time between two PUBACKed messages: how long this client could not publish. */
        final AtomicLong longestStallMs = new AtomicLong();
        final Thread thread;

        Publisher(String id) {
            this.id = id;
            this.thread = new Thread(this::run, "publisher-" + id);
            thread.start();
        }

        /** One message at a time, QoS 1, about 25 a second. */
        private void run() {
            try {
                MqttAsyncClient client = new MqttAsyncClient("tcp://" + vip + ":1883", id, new MemoryPersistence());
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setCleanStart(true);
                options.setAutomaticReconnect(true);
                options.setAutomaticReconnectDelay(1, 2);
                options.setConnectionTimeout(45);
                client.connect(options).waitForCompletion(50_000);
                long lastAck = System.currentTimeMillis();
                while (running.get()) {
                    MqttMessage message = new MqttMessage((id + ":" + sent.get()).getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    try {
                        IMqttToken token = client.publish(TOPIC + id, message);
                        token.waitForCompletion(5_000);
                        int[] codes = token.getReasonCodes();
                        if (codes == null || codes.length == 0 || codes[0] < 0x80) {
                            sent.incrementAndGet();
                            long now = System.currentTimeMillis();
                            longestStallMs.accumulateAndGet(now - lastAck, Math::max);
                            lastAck = now;
                        }
                        Thread.sleep(40);
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

    final class Subscriber {
        final Client client;
        /**
         * Per publisher running at its SUBACK: the first sequence this subscriber is owed (everything PUBACKed after
         * the SUBACK); a publisher started later owes it everything.
         */
        final Map<Publisher, Integer> owedFrom = new HashMap<>();
        final AtomicInteger sessionsLost = new AtomicInteger();
        final AtomicInteger sessionsKept = new AtomicInteger();
        /** The longest time this client was without a connection (seen by its watcher, to 100 ms). */
        final AtomicLong longestOfflineMs = new AtomicLong();
        final Thread watcher;

        Subscriber(String id) throws MqttException {
            client = Client.connect(vip, id, false);
            client.subscribe(TOPIC + "#", 1);
            for (Publisher p : publishers) {
                owedFrom.put(p, p.sent.get() + 1);
            }
            watcher = new Thread(this::stayConnected, "subscriber-" + id);
            watcher.start();
        }

        private void stayConnected() {
            long offlineSince = 0;
            while (running.get() || !client.paho.isConnected()) {
                if (!client.paho.isConnected() && offlineSince == 0) {
                    offlineSince = System.currentTimeMillis();
                }
                if (!client.paho.isConnected() && client.reconnectIfNeeded()) {
                    longestOfflineMs.accumulateAndGet(System.currentTimeMillis() - offlineSince, Math::max);
                    offlineSince = 0;
                    if (client.lastSessionPresent) {
                        sessionsKept.incrementAndGet();
                    } else {
                        sessionsLost.incrementAndGet();
                        try {
                            client.subscribe(TOPIC + "#", 1);
                        } catch (MqttException e) {
                            client.close();
                        }
                    }
                }
                Poll.sleep(100);
                if (!running.get() && client.paho.isConnected()) {
                    return;
                }
            }
        }

        /** Everything owed that did not arrive, as {@code subscriber lacks publisher:seq}. */
        List<String> missing() {
            Set<String> got = new HashSet<>(client.received.stream().map(ClusterRoutingSystemTest.Received::payload).toList());
            List<String> lost = new ArrayList<>();
            for (Publisher p : publishers) {
                for (int seq = owedFrom.getOrDefault(p, 0); seq < p.sent.get(); seq++) {
                    if (!got.contains(p.id + ":" + seq)) {
                        lost.add(client.id + " lacks " + p.id + ":" + seq);
                    }
                }
            }
            return lost;
        }

        int duplicates() {
            List<String> payloads = client.received.stream().map(ClusterRoutingSystemTest.Received::payload).toList();
            return payloads.size() - new HashSet<>(payloads).size();
        }
    }

    Publisher publisher(String id) {
        Publisher p = new Publisher(id);
        publishers.add(p);
        return p;
    }

    Subscriber subscriber(String id) throws MqttException {
        Subscriber s = new Subscriber(id);
        subscribers.add(s);
        return s;
    }

    List<Subscriber> subscribers() {
        return subscribers;
    }

    /**
     * Waits until every publisher has had {@code more} further messages acknowledged: traffic that flows, measured
     * in messages rather than in a guessed time (before a change, so it has something to disturb; after it, so the
     * changed cluster carried some).
     */
    void awaitAcknowledged(int more) {
        Map<Publisher, Integer> from = new HashMap<>();
        publishers.forEach(p -> from.put(p, p.sent.get()));
        Poll.until(Duration.ofSeconds(90), "every publisher has " + more + " more messages acknowledged ("
                + sentSoFar() + " at the start)", () -> publishers.stream().allMatch(p -> p.sent.get() >= from.get(p) + more));
    }

    String sentSoFar() {
        return publishers.stream().map(p -> p.id + "=" + p.sent.get()).toList().toString();
    }

    /** Stops publishing and waits for the publishers to finish their last message. */
    void stopPublishing() throws InterruptedException {
        running.set(false);
        for (Publisher p : publishers) {
            p.thread.join(30_000);
        }
    }

    List<String> missing() {
        List<String> lost = new ArrayList<>();
        subscribers.forEach(s -> lost.addAll(s.missing()));
        return lost;
    }

    /** Stops publishing, waits for the last deliveries and asserts that no subscriber lacks a message. */
    StringBuilder assertNoLoss(String what) throws InterruptedException {
        stopPublishing();
        try {
            Poll.until(Duration.ofSeconds(60), "every message delivered", () -> missing().isEmpty());
        } catch (AssertionError timedOut) {
            // the assertion below says how many and which
        }
        StringBuilder report = report();
        System.out.println(what + " under load, sent " + sentSoFar() + "\n" + report);
        List<String> lost = missing();
        assertTrue(lost.isEmpty(), what + ": " + lost.size() + " deliveries lost, e.g. "
                + lost.stream().limit(10).toList() + "\n" + report);
        return report;
    }

    /** Per subscriber: received, duplicates, sessions kept and lost on reconnect. */
    StringBuilder report() {
        StringBuilder report = new StringBuilder();
        for (Subscriber s : subscribers) {
            report.append(s.client.id).append(": ").append(s.client.received.size()).append(" received, ")
                    .append(s.duplicates()).append(" duplicates, sessions kept/lost on reconnect ")
                    .append(s.sessionsKept.get()).append('/').append(s.sessionsLost.get()).append('\n');
        }
        return report;
    }

    /**
     * The longest time any client was without service: a subscriber without a connection, or a publisher between two
     * acknowledged messages (which includes its reconnect).
     */
    long longestGapMs() {
        long subscribers = this.subscribers.stream().mapToLong(s -> s.longestOfflineMs.get()).max().orElse(0);
        long publishers = this.publishers.stream().mapToLong(p -> p.longestStallMs.get()).max().orElse(0);
        return Math.max(subscribers, publishers);
    }

    /** Duplicates over all subscribers (QoS 1 is at least once: reported, not a failure). */
    int duplicates() {
        return subscribers.stream().mapToInt(Subscriber::duplicates).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Subscriber s : subscribers) {
            s.watcher.join(5_000);
            s.client.close();
        }
    }
}
