package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * This node's routing interest: the deduplicated set of topic filters its clients subscribed to, shared
 * subscriptions kept whole ({@code $share/<group>/<filter>}, see {@link SharedGroups}), published retained on
 * {@code hivemq-suite/<svc>/nodes/<i>/subscriptions} whenever it changes. Peers forward a publish here only when
 * one of these filters matches, so routing traffic grows with interest, not with the node count.
 *
 * <p>Payload: {@code d3}, then {@code \0<version>}, then {@code \0<filter>} per filter, UTF-8. U+0000 cannot occur
 * in an MQTT topic filter, so no escaping is needed, and the payload is never empty (an empty retained payload would
 * clear it). The version grows with every change (and across restarts: it starts from the clock), so a peer can
 * say which digest it routes by ({@link DigestAcks}).
 *
 * <p>Additions are published from the subscribe interceptor, before the SUBACK; removals come from re-scans of
 * the broker's subscription store (after unsubscribe, disconnect, and periodically), because only the store
 * knows whether another client still holds the same filter. The scanned set comes from {@link ClientSubscriptions},
 * which also keeps what the interceptor added just before the broker stored it.
 */
final class SubscriptionDigest {
    private static final Logger LOG = Logger.getLogger(SubscriptionDigest.class.getName());
    private static final String HEADER = "d3";

    private final String topic;
    private Set<String> published = Set.of();
    private volatile Interest interest = Interest.NONE;
    private boolean everPublished;
    private long version = System.currentTimeMillis() * 1000;

    SubscriptionDigest(String topic) {
        this.topic = topic;
    }

    /**
     * From the subscribe interceptor: completes, with the version of a digest that holds the filters, once that
     * digest is in this broker (and on its way out to the peers' links).
     */
    synchronized CompletableFuture<Long> added(Collection<String> filters) {
        Set<String> next = new TreeSet<>(published);
        addRouted(filters, next);
        CompletableFuture<Void> published = publishIfChanged(next);
        long holding = version;
        return published.thenApply(v -> holding);
    }

    /** From a scan of the subscription store: the complete current set. */
    synchronized CompletableFuture<Void> scanned(Collection<String> filters) {
        Set<String> next = new TreeSet<>();
        addRouted(filters, next);
        return publishIfChanged(next);
    }

    /** Control-topic filters are the suite's own and never routed. */
    private static void addRouted(Collection<String> filters, Set<String> into) {
        for (String filter : filters) {
            if (!ControlTopics.isControlTopic(TopicFilters.withoutShare(filter))) {
                into.add(filter);
            }
        }
    }

    synchronized int size() {
        return published.size();
    }

    /** What this node advertises, as peers see it; read on every publish, so never locked. */
    Interest interest() {
        return interest;
    }

    private CompletableFuture<Void> publishIfChanged(Set<String> next) {
        if (everPublished && next.equals(published)) {
            return CompletableFuture.completedFuture(null);
        }
        published = Set.copyOf(next);
        interest = Interest.of(published);
        everPublished = true;
        version++;
        return Services.publishService().publish(Builders.publish()
                        .topic(topic)
                        .qos(Qos.AT_LEAST_ONCE)
                        .retain(true)
                        .payload(ByteBuffer.wrap(encode(version, next)))
                        .build())
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warning("cannot publish the subscription digest on " + topic + ": " + e);
                    }
                });
    }

    static byte[] encode(long version, Set<String> filters) {
        StringBuilder out = new StringBuilder(HEADER).append('\0').append(version);
        for (String filter : filters) {
            out.append('\0').append(filter);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A digest as a peer receives it. */
    record Received(long version, Interest interest) {
    }

    /** Null when the payload is not a digest (then the last known one stays in force). */
    static Received decode(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        String[] parts = text.split("\0", -1);
        if (!parts[0].equals(HEADER) || parts.length < 2) {
            return null;
        }
        long version;
        try {
            version = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        Set<String> filters = new HashSet<>();
        for (int i = 2; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                filters.add(parts[i]);
            }
        }
        return new Received(version, Interest.of(filters));
    }
}
