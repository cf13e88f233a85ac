package io.hivemqsuite.endpoint.vip;

import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * Which nodes take new VIP connections: the HEALTHY ones that are not drained. A drain is meant for one stop of a
 * node (a rolling restart), so it ends by itself once the node was seen unhealthy or absent, or with another broker
 * process, and is HEALTHY again; an undrain ends it at once. A moving drain also ends the node's role as its clients'
 * home for the time being: the VIP sends them to their next node at once instead of holding them until it is back
 * (the node moved its clients and their sessions there before it stopped).
 */
public class Rotation {
    private final Map<Integer, NodeState> states = new HashMap<>();
    private final Map<Integer, Long> pids = new HashMap<>();
    private final Map<Integer, Drain> drains = new HashMap<>();

    private static final class Drain {
        final long pidAtDrain;
        final boolean moving;
        boolean wentDown;

        Drain(long pidAtDrain, boolean moving) {
            this.pidAtDrain = pidAtDrain;
            this.moving = moving;
        }
    }

    /** Takes the agents' answers of one poll; a node missing from it is absent. */
    public synchronized void update(Map<Integer, NodeStatus> statuses) {
        states.clear();
        pids.clear();
        statuses.forEach((node, status) -> {
            states.put(node, status.state());
            pids.put(node, status.brokerPid());
        });
        drains.entrySet().removeIf(entry -> {
            int node = entry.getKey();
            Drain drain = entry.getValue();
            NodeState state = states.get(node);
            if (state != NodeState.HEALTHY) {
                drain.wentDown = true;
                return false;
            }
            boolean restarted = drain.pidAtDrain != 0 && pids.get(node) != drain.pidAtDrain;
            return drain.wentDown || restarted;
        });
    }

    public synchronized void drain(int node) {
        drain(node, false);
    }

    /** A second drain of a drained node keeps the first's start; a moving drain makes it moving. */
    public synchronized void drain(int node, boolean moving) {
        Drain before = drains.get(node);
        if (before == null || (moving && !before.moving)) {
            drains.put(node, new Drain(before == null ? pids.getOrDefault(node, 0L) : before.pidAtDrain, moving));
        }
    }

    /** Drained for a move: not its clients' home until it is back. */
    public synchronized boolean moving(int node) {
        Drain drain = drains.get(node);
        return drain != null && drain.moving;
    }

    public synchronized void undrain(int node) {
        drains.remove(node);
    }

    public synchronized boolean drained(int node) {
        return drains.containsKey(node);
    }

    public synchronized NodeState state(int node) {
        return states.get(node);
    }

    public synchronized boolean inRotation(int node) {
        return states.get(node) == NodeState.HEALTHY && !drains.containsKey(node);
    }
}
