package io.hivemqsuite.endpoint.vip;

import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * Which nodes take new VIP connections: the HEALTHY ones that are not drained. A drain is meant for one stop of a
 * node (a rolling restart), so it ends by itself once the node was seen unhealthy or absent, or with another broker
 * process, and is HEALTHY again; an undrain ends it at once.
 */
public class Rotation {
    private final Map<Integer, NodeState> states = new HashMap<>();
    private final Map<Integer, Long> pids = new HashMap<>();
    private final Map<Integer, Drain> drains = new HashMap<>();

    private static final class Drain {
        final long pidAtDrain;
        boolean wentDown;

        Drain(long pidAtDrain) {
            this.pidAtDrain = pidAtDrain;
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
        drains.putIfAbsent(node, new Drain(pids.getOrDefault(node, 0L)));
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
