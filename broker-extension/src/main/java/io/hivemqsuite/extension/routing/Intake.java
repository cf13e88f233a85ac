package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.Publish;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The receiving side of routing: a peer's link delivers batches of envelopes (an internal client's publish on
 * {@code hivemq-suite/<svc>/route/<origin>/batch}); each original is published here again through the SDK's
 * PublishService, which runs no inbound interceptor, so a routed message is never routed again. The batch itself
 * is never delivered.
 */
final class Intake {
    private static final Logger LOG = Logger.getLogger(Intake.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final int self;
    private final String routePrefix;
    private final RetainedClock retainedClock;
    /** Per link client: the tail of its hand-over chain, so batches are handed over in arrival order. */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    final AtomicLong received = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong catchUpStored = new AtomicLong();
    final AtomicLong staleRetained = new AtomicLong();

    Intake(int self, String routePrefix, RetainedClock retainedClock) {
        this.self = self;
        this.routePrefix = routePrefix;
        this.retainedClock = retainedClock;
    }

    /**
     * A batch's envelopes are handed to the PublishService one after the other, without waiting in between (the
     * service keeps the call order per subscriber queue); only the batch's PUBACK waits until all of them are in
     * this broker (ack after republish). Batches of one link start in arrival order: each starts once the previous
     * one has been handed over, not once it completed, so the link's batches overlap.
     */
    void accept(PublishInboundInput input, PublishInboundOutput output, String topic) {
        // Never delivered, not even to an internal subscriber of hivemq-suite/#.
        output.preventPublishDelivery();
        String origin = topic.endsWith("/" + Envelope.BATCH)
                ? topic.substring(routePrefix.length(), topic.length() - Envelope.BATCH.length() - 1) : "";
        int originNode;
        try {
            originNode = Integer.parseInt(origin);
        } catch (NumberFormatException e) {
            originNode = self;
        }
        List<Envelope> batch = originNode == self ? null
                : Envelope.decodeBatch(Envelope.bytes(input.getPublishPacket().getPayload()),
                System.nanoTime());
        if (batch == null) {
            LOG.warning("ignored a malformed routing batch on " + topic);
            return;
        }
        int from = originNode;
        // A QoS 0 batch has no PUBACK to hold back: not going async lets the broker take the link's next batch
        // at once (the hand-over below is still in arrival order).
        Async<PublishInboundOutput> async = input.getPublishPacket().getQos() == Qos.AT_MOST_ONCE ? null
                : output.async(TIMEOUT, TimeoutFallback.FAILURE);
        String clientId = input.getClientInformation().getClientId();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> handedOver = tails.getOrDefault(clientId, CompletableFuture.completedFuture(null))
                .handle((v, e) -> null)
                .thenRun(() -> {
                    List<CompletableFuture<Void>> all = new ArrayList<>(batch.size());
                    for (Envelope e : batch) {
                        all.add(e.catchUp() ? storeIfAbsent(e) : republish(e, from).exceptionally(failure -> {
                            failures.incrementAndGet();
                            LOG.log(Level.WARNING, "routed message on " + e.topic() + " from node " + from
                                    + " could not be published here", failure);
                            return null;
                        }));
                    }
                    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                            .whenComplete((v, e) -> done.complete(null));
                });
        tails.put(clientId, handedOver);
        handedOver.whenComplete((v, e) -> tails.remove(clientId, handedOver));
        done.whenComplete((v, e) -> {
            received.addAndGet(batch.size());
            if (async != null) {
                async.resume();
            }
        });
    }

    /** Stores (or, when empty, clears) a retained message unless a newer write won, and delivers to local subscribers. */
    private CompletableFuture<Void> republish(Envelope e, int origin) {
        boolean retain = e.retain();
        if (retain && !retainedClock.admit(e.topic(), RetainedClock.stamp(e.originTimeMillis(), origin))) {
            staleRetained.incrementAndGet();
            retain = false; // still a live message for the subscribers there now
        }
        return Services.publishService().publish(original(e, retain));
    }

    /** A catch-up copy never replaces what this node already has: what arrived live is newer. */
    private CompletableFuture<Void> storeIfAbsent(Envelope e) {
        return Services.retainedMessageStore().getRetainedMessage(e.topic()).thenCompose(existing -> {
            if (existing.isPresent() || e.payload().length == 0) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            catchUpStored.incrementAndGet();
            return Services.retainedMessageStore().addOrReplace(
                    Builders.retainedPublish().fromPublish(original(e, true)).build());
        }).exceptionally(failure -> {
            failures.incrementAndGet();
            return null;
        });
    }

    /** The publish as the original client sent it, with the expiry that is left. */
    static Publish original(Envelope e, boolean retain) {
        PublishBuilder builder = Builders.publish()
                .topic(e.topic())
                .qos(Qos.valueOf(e.qos()))
                .retain(retain)
                .payload(ByteBuffer.wrap(e.payload()));
        List<String> user = e.userProperties();
        for (int i = 0; i + 1 < user.size(); i += 2) {
            builder.userProperty(user.get(i), user.get(i + 1));
        }
        if (e.contentType() != null) {
            builder.contentType(e.contentType());
        }
        if (e.utf8Payload() != null) {
            builder.payloadFormatIndicator(e.utf8Payload() ? PayloadFormatIndicator.UTF_8
                    : PayloadFormatIndicator.UNSPECIFIED);
        }
        if (e.responseTopic() != null) {
            builder.responseTopic(e.responseTopic());
        }
        if (e.correlationData() != null) {
            builder.correlationData(ByteBuffer.wrap(e.correlationData()));
        }
        if (e.expirySeconds() != null) {
            builder.messageExpiryInterval(e.expirySeconds());
        }
        return builder.build();
    }
}
