package io.hivemqsuite.endpoint.vip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Client-id affinity: a client's home node is the one with the highest random weight for its key (rendezvous
 * hashing) among all nodes of the spec, not only the healthy ones, so a restarting node keeps its clients and
 * their persistent sessions. Only a node leaving the spec moves keys, and only its own keys (to their second
 * choice). A client without a key (empty MQTT client identifier: the broker assigns one, no session to keep)
 * goes round robin.
 */
public class RendezvousChoice implements BackendChoice {
    private final RoundRobinChoice roundRobin = new RoundRobinChoice();

    @Override
    public Route route(List<Backend> backends, List<Backend> inRotation, String key) {
        if (key == null || key.isEmpty()) {
            return roundRobin.route(backends, inRotation, key);
        }
        return new Route(order(backends, key), true);
    }

    /** The backends by falling weight for this key; the first is the key's home. */
    public static List<Backend> order(List<Backend> backends, String key) {
        long keyHash = fnv(key.getBytes(StandardCharsets.UTF_8));
        List<Backend> order = new ArrayList<>(backends);
        // Weighted by node index, not address: a node keeps its clients when its address changes.
        order.sort(Comparator.comparingLong((Backend b) -> weight(keyHash, b.node())).reversed()
                .thenComparingInt(Backend::node));
        return order;
    }

    static long weight(long keyHash, int node) {
        return mix(keyHash ^ mix(0x9E3779B97F4A7C15L * (node + 1)));
    }

    private static long fnv(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** SplitMix64's finalizer: spreads FNV's weak low bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
