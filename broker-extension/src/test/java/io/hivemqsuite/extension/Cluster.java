package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Three (or more) routed broker processes on 127.0.77.x and what the tests do with them. */
final class Cluster implements AutoCloseable {
    final List<BrokerProcess> nodes = new ArrayList<>();

    static Cluster start(int count, int port, boolean digest, int queueMax) throws Exception {
        return start(count, port, digest, queueMax, node -> { });
    }

    /** @param prepare changes a node's laid-out home before it starts (more extension files, settings) */
    static Cluster start(int count, int port, boolean digest, int queueMax,
                         org.junit.jupiter.api.function.ThrowingConsumer<BrokerProcess> prepare) throws Exception {
        Cluster cluster = new Cluster();
        try {
            for (int i = 0; i < count; i++) {
                BrokerProcess node = BrokerProcess.layout(i, count, port, digest, queueMax);
                cluster.nodes.add(node);
                try {
                    prepare.accept(node);
                } catch (Throwable t) {
                    throw new IllegalStateException("cannot prepare node " + i, t);
                }
            }
            BrokerProcess.startAll(cluster.nodes);
            cluster.awaitLinks();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** CPU time all broker processes have used so far. */
    long cpuNanos() {
        return nodes.stream().mapToLong(BrokerProcess::cpuNanos).sum();
    }

    BrokerProcess node(int i) {
        return nodes.get(i);
    }

    /** Every node has its links up and its peers' digests. */
    void awaitLinks() throws Exception {
        for (BrokerProcess node : nodes) {
            for (BrokerProcess peer : nodes) {
                if (peer != node) {
                    Awaitility.await("link " + node.index + "->" + peer.index + " up with the peer's digest")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> peerStat(node.index, peer.index, "connected").equals("true")
                                    && !peerStat(node.index, peer.index, "digestFilters").equals("-1"));
                }
            }
        }
    }

    Mqtt5BlockingClient client(int node, String name) {
        return Mqtt5Client.builder()
                .identifier(name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(node(node).host).serverPort(node(node).port)
                .buildBlocking();
    }

    Mqtt5BlockingClient connected(int node, String name) {
        Mqtt5BlockingClient c = client(node, name);
        c.connect();
        return c;
    }

    /**
     * Subscribes a persistent session ({@code clientId}, 10 min expiry) on {@code node} and disconnects it, so its
     * messages queue there; returns once node {@code watcher} knows of the subscription from the digest.
     */
    void persistentSubscription(int node, String clientId, String filter, int watcher) throws InterruptedException {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(clientId)
                .serverHost(nodes.get(node).host).serverPort(nodes.get(node).port).buildBlocking();
        c.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        awaitStats(watcher, j -> peerCount(j, node, "digestFilters") >= 1, 10_000);
    }

    /**
     * Resumes the persistent session {@code clientId} on {@code node} and returns the payloads it receives, in order
     * and with duplicates, until {@code distinct} different payloads arrived or none came for {@code quietMillis}.
     */
    List<String> resumeSession(int node, String clientId, int distinct, long quietMillis) throws InterruptedException {
        Mqtt5BlockingClient back = Mqtt5Client.builder().identifier(clientId)
                .serverHost(nodes.get(node).host).serverPort(nodes.get(node).port).buildBlocking();
        List<String> got = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            back.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
            java.util.Set<String> seen = new java.util.HashSet<>();
            Optional<Mqtt5Publish> next;
            while (seen.size() < distinct && (next = publishes.receive(quietMillis, TimeUnit.MILLISECONDS)).isPresent()) {
                got.add(Clients.text(next.get()));
                seen.add(Clients.text(next.get()));
            }
        } finally {
            back.disconnect();
        }
        return got;
    }

    /** Stops {@code node} gracefully and waits until {@code watcher}'s link to it is down. */
    void stopAndAwaitLinkDown(int node, int watcher) throws InterruptedException {
        nodes.get(node).stop();
        awaitStats(watcher, j -> peerStat(j, node, "connected").equals("false"), 10_000);
    }

    Mqtt5BlockingClient internal(int node) {
        Mqtt5BlockingClient c = client(node, "internal");
        c.connectWith().simpleAuth().username(SuiteBroker.INTERNAL_USER)
                .password(SuiteBroker.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        return c;
    }

    /** The router counters node i publishes retained on its routing topic. */
    String stats(int node) throws InterruptedException {
        Mqtt5BlockingClient c = internal(node);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("hivemq-suite/" + BrokerProcess.SERVICE + "/nodes/" + node + "/routing")
                    .qos(MqttQos.AT_MOST_ONCE).send();
            Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
            return p.map(Clients::text).orElse("{}");
        } finally {
            c.disconnect();
        }
    }

    String peerStat(int node, int peer, String field) throws InterruptedException {
        return peerStat(stats(node), peer, field);
    }

    static String peerStat(String json, int peer, String field) {
        Matcher m = Pattern.compile("\"" + peer + "\":\\{[^}]*\"" + field + "\":([^,}]+)").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static long peerCount(String json, int peer, String field) {
        return Long.parseLong(peerStat(json, peer, field));
    }

    /** A top-level counter of the stats JSON (journalOwed, received, ...). */
    static long stat(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9]+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : Long.MIN_VALUE;
    }

    /**
     * Node's counters once they have stopped changing: the same for a second, two of the router's publishing
     * periods (it publishes a change within 500 ms).
     */
    String settledStats(int node) throws InterruptedException {
        AtomicReference<String> last = new AtomicReference<>(stats(node));
        long[] changedAt = {System.nanoTime()};
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String now = stats(node);
            if (!now.equals(last.getAndSet(now))) {
                changedAt[0] = System.nanoTime();
            }
            return System.nanoTime() - changedAt[0] >= TimeUnit.SECONDS.toNanos(1);
        });
        return last.get();
    }

    /** Waits until node's stats satisfy a condition on peer's counters. */
    String awaitStats(int node, java.util.function.Predicate<String> condition, long millis) throws InterruptedException {
        // The caller asserts on the returned counters, so a timeout returns the last ones instead of failing here.
        AtomicReference<String> json = new AtomicReference<>(stats(node));
        try {
            Awaitility.await().atMost(Duration.ofMillis(millis)).pollDelay(Duration.ZERO)
                    .until(() -> {
                        json.set(stats(node));
                        return condition.test(json.get());
                    });
        } catch (ConditionTimeoutException e) {
            // json holds the last counters read
        }
        return json.get();
    }

    @Override
    public void close() throws Exception {
        for (BrokerProcess node : nodes) {
            node.close();
        }
    }
}
