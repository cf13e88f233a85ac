package io.hivemqsuite.endpoint.vip;

import io.hivemqsuite.protocol.endpoint.ClientHome;

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
        long keyHash = ClientHome.keyHash(key);
        List<Backend> order = new ArrayList<>(backends);
        // Weighted by node index, not address: a node keeps its clients when its address changes.
        order.sort(Comparator.comparingLong((Backend b) -> weight(keyHash, b.node())).reversed()
                .thenComparingInt(Backend::node));
        return order;
    }

    static long weight(long keyHash, int node) {
        return ClientHome.weight(keyHash, node);
    }
}
