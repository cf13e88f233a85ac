package io.hivemqsuite.extension.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last writer wins for retained messages across nodes. A retained write on one node reaches the others a little
 * later, so a write that was made later on another node can arrive first; without an order the nodes would keep
 * different retained messages for the same topic for good. Each write is stamped with its origin's receive time
 * and node index (ties), and a routed write older than what this node last applied for the topic is delivered
 * live but not stored.
 *
 * <p>In memory: after this broker restarts it accepts the next write for a topic whatever its age (the stored
 * message carries no stamp). All nodes of a local-mode service share one clock, the machine's.
 */
final class RetainedClock {
    private static final int MAX_NODES = 1024;
    private final Map<String, Long> lastApplied = new ConcurrentHashMap<>();

    static long stamp(long originTimeMillis, int originNode) {
        return originTimeMillis * MAX_NODES + Math.floorMod(originNode, MAX_NODES);
    }

    /** A retained write made on this node. */
    void written(String topic, long stamp) {
        lastApplied.merge(topic, stamp, Math::max);
    }

    /** Whether a routed retained write is newer than the last applied one; if so it counts as applied. */
    boolean admit(String topic, long stamp) {
        long[] admitted = {0};
        lastApplied.compute(topic, (t, last) -> {
            if (last == null || stamp >= last) {
                admitted[0] = 1;
                return stamp;
            }
            return last;
        });
        return admitted[0] == 1;
    }
}
