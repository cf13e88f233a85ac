package io.hivemqsuite.extension.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which version of this node's {@link SubscriptionDigest} each peer routes by. A SUBACK is held until every
 * reachable peer has applied a digest holding the new filters: a client that publishes on another node right after
 * a subscriber here got its SUBACK (MQTT 5 request/response does exactly this) must reach that subscriber. Without
 * it, the publish raced the digest over the link and was not forwarded.
 *
 * <p>A peer acknowledges on {@code hivemq-suite/<svc>/nodes/<this>/digest-ack} with {@code <peer> <version>}.
 */
final class DigestAcks {
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(long version, Set<Integer> peers, CompletableFuture<Void> done) {
    }

    static byte[] encode(int peer, long version) {
        return (peer + " " + version).getBytes(StandardCharsets.UTF_8);
    }

    /** A peer's acknowledgement; a malformed one is ignored (waiters fall back to their timeout). */
    void received(byte[] payload) {
        String[] parts = new String(payload, StandardCharsets.UTF_8).trim().split(" ");
        if (parts.length != 2) {
            return;
        }
        try {
            acked(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException ignored) {
            // not from a peer of ours
        }
    }

    void acked(int peer, long version) {
        applied.merge(peer, version, Math::max);
        List<Waiter> ready = new ArrayList<>();
        synchronized (waiters) {
            waiters.removeIf(w -> {
                if (allApplied(w.version, w.peers)) {
                    ready.add(w);
                    return true;
                }
                return w.done.isDone();
            });
        }
        ready.forEach(w -> w.done.complete(null));
    }

    /** Completes once each of {@code peers} applied {@code version} or a later one. */
    CompletableFuture<Void> await(long version, Collection<Integer> peers) {
        Set<Integer> of = Set.copyOf(peers);
        if (allApplied(version, of)) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(version, of, new CompletableFuture<>());
        synchronized (waiters) {
            waiters.add(waiter);
        }
        // An ack may have come between the check and the add.
        if (allApplied(version, of) && waiter.done.complete(null)) {
            synchronized (waiters) {
                waiters.remove(waiter);
            }
        }
        return waiter.done;
    }

    /** A peer that left is no longer waited for. */
    void forget(int peer) {
        applied.remove(peer);
        List<Waiter> ready = new ArrayList<>();
        synchronized (waiters) {
            waiters.removeIf(w -> {
                if (w.peers.contains(peer)) {
                    ready.add(w);
                    return true;
                }
                return false;
            });
        }
        ready.forEach(w -> w.done.complete(null));
    }

    private boolean allApplied(long version, Set<Integer> peers) {
        for (int peer : peers) {
            if (applied.getOrDefault(peer, Long.MIN_VALUE) < version) {
                return false;
            }
        }
        return true;
    }
}
