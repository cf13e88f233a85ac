package io.hivemqsuite.extension.routing;

import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's one MQTT connection to one peer's broker (Eclipse Paho, an internal client). One link per peer and
 * one sender thread per link keep the order of everything routed to that peer. The link also subscribes to the
 * peer's subscription digest, so this node knows what the peer wants.
 *
 * <p>The session is persistent (clean start false, long expiry) and Paho keeps its in-flight QoS 1 envelopes in
 * its persistence: after a reconnect it resends those that were never acknowledged, then this thread continues
 * with the queue. Envelopes are handed to Paho only while the link is up; while it is down they wait in the
 * {@link PeerQueue}.
 */
final class PeerLink implements MqttCallback {
    private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());
    private static final int MAX_INFLIGHT = 32202; // MqttClientException.REASON_CODE_MAX_INFLIGHT
    private static final long SESSION_EXPIRY_SECONDS = 7L * 24 * 3600;
    /**
     * The longest pause between two attempts to reach a peer that is down. A peer that restarts (a rolling update, a
     * deploy whose brokers start one after another) is waited for by every other node, and the pause they have reached
     * is added to the time it takes to rejoin; an attempt at a peer whose broker does not listen costs one refused
     * TCP connect.
     */
    private static final long MAX_RECONNECT_PAUSE_MILLIS = 500;
    /** How long a control message that is still useful later (a retained request, a queue handover) may wait. */
    static final Duration CONTROL_PATIENCE = Duration.ofMinutes(5);
    /** Bounds of one link message: big enough to amortise the PUBACK round trip, small next to packet limits. */
    private static final int MAX_BATCH_COUNT = 500;
    private static final long MAX_BATCH_BYTES = 256 * 1024;

    final int peer;
    final String address;
    final PeerQueue queue;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong skippedByDigest = new AtomicLong();
    private final String routePrefix;
    private final String digestTopic;
    private final String digestAckTopic;
    private final byte[] selfName;
    private final int self;
    private final String secret;
    private final IntConsumer onLinkUp;
    private final MqttAsyncClient client;
    private final Object inflight = new Object();
    private final ControlOutbox outbox;
    private final Thread sender;
    private volatile boolean running = true;
    private volatile boolean up;
    /** The peer's interest; null until its digest arrived (then everything is routed to it, to lose nothing). */
    private volatile Interest interest;

    PeerLink(int self, int peer, String address, String service, String routePrefix, String digestTopic, String secret,
             PeerQueue queue, IntConsumer onLinkUp) throws MqttException {
        this.peer = peer;
        this.address = address;
        this.queue = queue;
        this.routePrefix = routePrefix;
        this.digestTopic = digestTopic;
        this.digestAckTopic = ControlTopics.digestAck(service, peer);
        this.self = self;
        this.selfName = Integer.toString(self).getBytes(StandardCharsets.UTF_8);
        this.secret = secret;
        this.onLinkUp = onLinkUp;
        this.outbox = new ControlOutbox(peer);
        // Stable id per (service, origin, peer): the peer's broker keeps this link's session across reconnects.
        this.client = new MqttAsyncClient("tcp://" + address, "hivemq-suite-route-" + service + "-" + self + "-to-" + peer,
                new MemoryPersistence());
        client.setCallback(this);
        this.sender = new Thread(this::run, "hivemq-suite-route-link-" + peer);
        sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    boolean up() {
        return up;
    }

    int digestSize() {
        Interest i = interest;
        return i == null ? -1 : i.size();
    }

    /** The peer's subscriptions as its digest says; null while the digest is still unknown. */
    Interest interest() {
        return interest;
    }

    /**
     * Whether the peer must get a publish on this topic (see {@link Interest#wants}); true while its digest is
     * still unknown.
     */
    boolean wants(String topic, Map<String, Integer> sharedOwners) {
        Interest i = interest;
        return i == null || i.wants(topic, sharedOwners, peer);
    }

    /**
     * The peer left the topology: stop, and settle everything still owed to it (queued, or in flight without a
     * PUBACK that can now never come), so the journal does not keep it forever.
     */
    void abandon() {
        IMqttToken[] pending = client.getPendingTokens();
        stop();
        for (IMqttToken token : pending) {
            settleBatchOf(token);
        }
        queue.abandon();
    }

    /**
     * On a graceful broker stop: gives a connected link up to {@code millis} to send what is queued and get its
     * PUBACKs, so a restart replays (duplicates) as little as possible.
     */
    void drain(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (up && System.nanoTime() < deadline && (queue.size() > 0 || client.getPendingTokens().length > 0)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the link; what is queued or in flight stays owed (the journal replays it at the next start). */
    void stop() {
        running = false;
        sender.interrupt();
        try {
            if (client.isConnected()) {
                client.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // nothing left to release
        }
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                // "up" drops with Paho's disconnected callback, which can come before isConnected() turns false.
                if (!up || !client.isConnected()) {
                    up = false;
                    if (connect()) {
                        backoff = 100;
                        up = true;
                        onLinkUp.accept(peer);
                    } else {
                        Thread.sleep(backoff);
                        backoff = Math.min(backoff * 2, MAX_RECONNECT_PAUSE_MILLIS);
                    }
                    continue;
                }
                outbox.flush(this::publishControl);
                List<Envelope> batch = queue.pollBatch(outbox.isEmpty() ? 200 : 20, MAX_BATCH_COUNT, MAX_BATCH_BYTES);
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "routing link to node " + peer + " failed; continuing", e);
            }
        }
    }

    private boolean connect() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
        options.setUserName(InternalCredential.USERNAME);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(15);
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.connect(options).waitForCompletion(6000);
            disableOutgoingTopicAliases();
            // Every connect: the retained digest comes back with the SUBACK, so a restarted peer's interest is fresh.
            client.subscribe(new MqttSubscription(digestTopic, 1)).waitForCompletion(6000);
            LOG.info("routing link to node " + peer + " (" + address + ") is up");
            return true;
        } catch (MqttException e) {
            LOG.fine("routing link to node " + peer + " (" + address + ") not up: " + e);
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(1000);
                }
            } catch (MqttException ignored) {
                // try again later
            }
            return false;
        }
    }

    /**
     * Paho 1.2.5 assigns topic aliases on its own whenever the broker allows them, and then stores QoS 1
     * messages with the alias instead of the topic; resent on a new connection (where aliases are void) they
     * make the peer drop the link ("Topic alias in PUBLISH could not be mapped"). Found in the routing benchmark.
     * Paho has no option for it, so the limit the broker granted is set back to 0 after every CONNACK.
     */
    private void disableOutgoingTopicAliases() {
        try {
            java.lang.reflect.Field field = MqttAsyncClient.class.getDeclaredField("mqttConnection");
            field.setAccessible(true);
            ((org.eclipse.paho.mqttv5.client.internal.MqttConnectionState) field.get(client))
                    .setOutgoingTopicAliasMaximum(0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("cannot turn off Paho's automatic topic aliases on the link to node " + peer + ": " + e);
        }
    }

    /**
     * One link message per batch (see {@link Envelope#encodeBatch}): QoS 1 when any envelope in it needs it. Paho
     * sends without waiting for the PUBACK, so up to the peer's receive maximum batches are in flight at once.
     */
    private void send(List<Envelope> batch) throws InterruptedException {
        long now = System.nanoTime();
        List<Envelope> live = new ArrayList<>(batch.size());
        List<Long> expiries = new ArrayList<>(batch.size());
        int qos = 0;
        for (Envelope envelope : batch) {
            Long expiry = envelope.remainingExpirySeconds(now);
            if (expiry != null && expiry <= 0) {
                expired.incrementAndGet();
                queue.settle(envelope);
                continue;
            }
            live.add(envelope);
            expiries.add(expiry);
            qos = Math.max(qos, Math.min(envelope.qos(), 1));
        }
        if (live.isEmpty()) {
            return;
        }
        MqttMessage message = new MqttMessage(Envelope.encodeBatch(live, expiries));
        message.setQos(qos);
        message.setRetained(false); // the envelope itself is never stored; the peer stores the original
        String topic = routePrefix + Envelope.BATCH;
        while (running) {
            try {
                // The batch rides on its token: its journaled envelopes are settled with the peer's PUBACK.
                client.publish(topic, message, qos > 0 ? live : null, null);
                sent.addAndGet(live.size());
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() == MAX_INFLIGHT) {
                    // The peer's receive maximum is reached: wait for a PUBACK, then try the same batch again
                    // (control messages first: a session claim must not wait behind a replay).
                    synchronized (inflight) {
                        inflight.wait(20);
                    }
                    outbox.flush(this::publishControl);
                } else {
                    // Link lost between the check and the publish: keep the batch first in line.
                    queue.pushBack(live);
                    return;
                }
            }
        }
        queue.pushBack(live);
    }

    /** Asks the peer for its retained messages (see Router); QoS 1 so a flaky link does not lose the request. */
    void requestRetained(String topic) {
        tell(topic, selfName, 1, "ask for its retained messages", CONTROL_PATIENCE);
    }

    /**
     * A control message for the peer's router, sent ahead of the queued envelopes: it arrives there as an internal
     * client's publish. When the link cannot take it now (window full, link down) it waits in the
     * {@link ControlOutbox} and goes out before the next batch, unless {@code within} has passed by then.
     */
    void tell(String topic, byte[] payload, int qos, String what, Duration within) {
        outbox.offer(ControlOutbox.Message.of(topic, payload, qos, what, within), this::publishControl);
    }

    /** False when the client cannot take the message now; it is then kept and tried again. */
    private boolean publishControl(ControlOutbox.Message message) {
        if (!up) {
            return false;
        }
        try {
            client.publish(message.topic(), message.payload(), message.qos(), false);
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() != MAX_INFLIGHT) {
                LOG.fine("cannot " + message.what() + " (node " + peer + ") now: " + e);
            }
            return false;
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        if (topic.equals(digestTopic)) {
            SubscriptionDigest.Received received = SubscriptionDigest.decode(message.getPayload());
            if (received != null) {
                interest = received.interest();
                // From now on this node forwards what the peer's new filters match: the peer may send its SUBACK.
                tell(digestAckTopic, DigestAcks.encode(self, received.version()), 0, "acknowledge its digest",
                        Router.ACK_WAIT);
            }
        }
    }

    /** The batch a QoS 1 link publish carried (see {@link #send}) is done with for this peer. */
    private void settleBatchOf(IMqttToken token) {
        if (token.getUserContext() instanceof List<?> batch) {
            batch.forEach(e -> queue.settle((Envelope) e));
        }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        settleBatchOf(token);
        synchronized (inflight) {
            inflight.notifyAll();
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        up = false;
        if (running) {
            LOG.info("routing link to node " + peer + " (" + address + ") is down: " + response.getReasonString()
                    + "; queueing for it");
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.fine("routing link to node " + peer + ": " + exception);
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
