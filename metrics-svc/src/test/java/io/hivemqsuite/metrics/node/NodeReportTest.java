package io.hivemqsuite.metrics.node;

import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeReportTest {

    @Test
    void aNodeIsStaleOnceItsLastSnapshotIsOlderThanTheGrace() {
        NodeReport report = new NodeReport(1);
        report.connected(true);
        assertFalse(report.view(System.currentTimeMillis(), true, 3).reporting(), "no snapshot yet");
        report.snapshot(new MetricsSnapshot(1, 0, 2, List.of()));
        long now = System.currentTimeMillis();
        NodeView fresh = report.view(now + 5_900, true, 3);
        assertTrue(fresh.reporting());
        assertEquals(1, fresh.node());
        NodeView stale = report.view(now + 6_500, true, 3);
        assertFalse(stale.reporting(), "3 intervals of 2 s passed without a snapshot");
        assertNull(stale.snapshot(), "a stale node's values are gone, not frozen");
        assertTrue(stale.ageSeconds() >= 6.5);
    }

    @Test
    void withMetricsOffANodeReportsWhileItsBrokerIsConnected() {
        NodeReport report = new NodeReport(0);
        report.connected(true);
        assertTrue(report.view(System.currentTimeMillis(), false, 3).reporting());
        report.connected(false);
        NodeView gone = report.view(System.currentTimeMillis(), false, 3);
        assertFalse(gone.reporting());
        assertNull(gone.status(), "no status from a node we cannot hear");
    }
}
