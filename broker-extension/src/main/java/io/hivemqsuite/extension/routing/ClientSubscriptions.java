package io.hivemqsuite.extension.routing;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which topic filters each client of this broker holds, readable without waiting: the outbound interceptor must
 * decide per delivery whether it came from a shared subscription, and the SDK's subscription store answers only
 * asynchronously, and the {@link SubscriptionDigest} is derived from it at every scan. The subscribe/unsubscribe
 * interceptors change it at once, scans of the store replace it (they also see sessions that came back from disk and clean-session clients that left). A
 * filter added by the interceptor survives scans for {@link #RECENT_MILLIS}, because the interceptor runs before
 * the broker stores the subscription.
 */
final class ClientSubscriptions {
    private static final long RECENT_MILLIS = 10_000;

    /** client -> its filters (an immutable set, replaced whole) */
    private final Map<String, Set<String>> byClient = new ConcurrentHashMap<>();
    /** client -> filter -> when the subscribe interceptor saw it */
    private final Map<String, Map<String, Long>> recent = new HashMap<>();

    synchronized void subscribed(String client, Collection<String> filters) {
        long now = System.currentTimeMillis();
        Map<String, Long> mine = recent.computeIfAbsent(client, c -> new HashMap<>());
        filters.forEach(f -> mine.put(f, now));
        Set<String> next = new HashSet<>(of(client));
        next.addAll(filters);
        byClient.put(client, Set.copyOf(next));
    }

    synchronized void unsubscribed(String client, Collection<String> filters) {
        Map<String, Long> mine = recent.get(client);
        if (mine != null) {
            filters.forEach(mine::remove);
        }
        Set<String> next = new HashSet<>(of(client));
        if (next.removeAll(filters)) {
            byClient.put(client, Set.copyOf(next));
        }
    }

    /** The store's complete view (client -> filters), plus what the interceptor added just now. */
    synchronized void scanned(Map<String, Set<String>> store) {
        long now = System.currentTimeMillis();
        recent.values().forEach(m -> m.values().removeIf(at -> now - at > RECENT_MILLIS));
        recent.values().removeIf(Map::isEmpty);
        Map<String, Set<String>> next = new HashMap<>();
        store.forEach((client, filters) -> next.put(client, new HashSet<>(filters)));
        recent.forEach((client, filters) -> next.computeIfAbsent(client, c -> new HashSet<>()).addAll(filters.keySet()));
        byClient.keySet().retainAll(next.keySet());
        next.forEach((client, filters) -> byClient.put(client, Set.copyOf(filters)));
    }

    /** Every filter some client of this broker holds (the node's interest, before the digest's own filtering). */
    Set<String> allFilters() {
        Set<String> all = new HashSet<>();
        byClient.values().forEach(all::addAll);
        return all;
    }

    /** The client's filters as it sent them ({@code $share/...} included); empty when unknown. */
    Set<String> of(String client) {
        return byClient.getOrDefault(client, Set.of());
    }
}
