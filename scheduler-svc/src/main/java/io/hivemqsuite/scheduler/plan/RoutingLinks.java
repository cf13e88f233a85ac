package io.hivemqsuite.scheduler.plan;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.hivemqsuite.scheduler.pod.Pods;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a node is part of the logical cluster: its routing links to every other healthy member are up, and theirs
 * to it (each broker's router publishes per peer whether its link is {@code connected}; the agents report that in
 * their status). Only then do publishes on any node reach its subscribers and its publishes reach everyone else's.
 * Members that are not healthy right now are not waited for: a node is not held back by another one that is down.
 */
public final class RoutingLinks {
    private RoutingLinks() {
    }

    /**
     * The links that are not up yet, as {@code hivemq-0 -> hivemq-3}; empty when all are, or when the node does not
     * route (routing off: its status carries no peer table).
     */
    public static List<String> missing(int index, Pods pods) {
        Optional<NodeStatus> self = pods.health().status(index);
        if (self.isEmpty() || self.get().peers() == null) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (int other : pods.members()) {
            if (other == index) {
                continue;
            }
            Optional<NodeStatus> peer = pods.health().status(other);
            if (peer.isEmpty() || !peer.get().healthy() || peer.get().peers() == null) {
                continue;
            }
            if (!connected(self.get(), other)) {
                missing.add(PodNames.pod(index) + " -> " + PodNames.pod(other));
            }
            if (!connected(peer.get(), index)) {
                missing.add(PodNames.pod(other) + " -> " + PodNames.pod(index));
            }
        }
        return missing;
    }

    private static boolean connected(NodeStatus from, int to) {
        RoutingCounters counters = from.routing();
        if (counters == null) {
            return false;
        }
        RoutingCounters.Peer peer = counters.peers().get(Integer.toString(to));
        return peer != null && peer.connected();
    }
}
