package io.hivemqsuite.extension.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One node's subscription interest, as its {@link SubscriptionDigest} carries it: plain topic filters, and shared
 * subscriptions by their key {@code $share/<group>/<filter>} (a shared subscription is identified by group and
 * filter together, so {@code $share/g/a} and {@code $share/g/b} are two groups).
 */
record Interest(List<String> plain, Map<String, String> shared) {
    static final Interest NONE = new Interest(List.of(), Map.of());

    Interest {
        plain = List.copyOf(plain);
        shared = Map.copyOf(shared);
    }

    /** From raw filters as clients sent them: {@code $share/...} ones become shared keys. */
    static Interest of(Collection<String> rawFilters) {
        List<String> plain = new ArrayList<>();
        Map<String, String> shared = new TreeMap<>();
        for (String raw : rawFilters) {
            String filter = TopicFilters.withoutShare(raw);
            if (filter.equals(raw)) {
                plain.add(raw);
            } else {
                shared.put(raw, filter);
            }
        }
        return new Interest(plain, shared);
    }

    int size() {
        return plain.size() + shared.size();
    }

    boolean hasShared() {
        return !shared.isEmpty();
    }

    private boolean matchesPlain(String topic) {
        for (String filter : plain) {
            if (TopicFilters.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    void sharedMatching(String topic, Consumer<String> key) {
        shared.forEach((k, filter) -> {
            if (TopicFilters.matches(filter, topic)) {
                key.accept(k);
            }
        });
    }

    /**
     * Whether {@code node}, which holds this interest, must get a publish on {@code topic}: a plain subscription
     * matches, or a matching shared group is delivered on that node ({@code owners} names the one node per group
     * that delivers, for groups with members on several nodes; a group absent from it lives on one node only).
     */
    boolean wants(String topic, Map<String, Integer> owners, int node) {
        if (matchesPlain(topic)) {
            return true;
        }
        for (Map.Entry<String, String> group : shared.entrySet()) {
            if (TopicFilters.matches(group.getValue(), topic)) {
                Integer owner = owners.get(group.getKey());
                if (owner == null || owner == node) {
                    return true;
                }
            }
        }
        return false;
    }
}
