package io.hivemqsuite.metrics.node;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.routing.RoutingCounters;

import java.util.concurrent.atomic.AtomicLong;

/** The latest of what one node said, written by its feed's MQTT thread and read by every scrape and push. */
public final class NodeReport {
    final int node;
    private volatile MetricsSnapshot snapshot;
    private volatile long snapshotReceivedAt;
    private volatile NodeStatus status;
    private volatile RoutingCounters routing;
    private volatile boolean connected;
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    NodeReport(int node) {
        this.node = node;
    }

    void snapshot(MetricsSnapshot s) {
        snapshot = s;
        snapshotReceivedAt = System.currentTimeMillis();
        snapshots.incrementAndGet();
    }

    void status(NodeStatus s) {
        status = s;
    }

    void routing(RoutingCounters r) {
        routing = r;
    }

    void connected(boolean up) {
        connected = up;
    }

    void refused() {
        refused.incrementAndGet();
    }

    long snapshotsReceived() {
        return snapshots.get();
    }

    long refusedMessages() {
        return refused.get();
    }

    /**
     * What this node looks like at {@code now}: reporting while its last snapshot is younger than
     * {@code staleAfterIntervals} of its intervals (or, with metrics off, while its broker is connected).
     */
    NodeView view(long now, boolean metricsEnabled, int staleAfterIntervals) {
        MetricsSnapshot s = snapshot;
        boolean fresh = s != null && now - snapshotReceivedAt <= staleAfterIntervals * 1000L * s.intervalSeconds();
        boolean reporting = metricsEnabled ? fresh : connected;
        return new NodeView(node, reporting, connected, fresh ? s : null,
                s == null ? -1 : (now - snapshotReceivedAt) / 1000.0, reporting ? routing : null,
                connected ? status : null);
    }
}
