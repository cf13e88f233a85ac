package io.hivemqsuite.protocol.routing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingCountersTest {

    /** Exactly what the broker extension's router publishes (taken from a broker run). */
    private static final String PUBLISHED = "{\"node\":0,\"digest\":true,\"localFilters\":2,\"received\":25,"
            + "\"intakeFailures\":0,\"catchUpStored\":0,\"staleRetained\":3,\"sharedSuppressed\":7,\"journalOwed\":50,"
            + "\"journalFailures\":0,\"peers\":{"
            + "\"1\":{\"connected\":false,\"digestFilters\":1,\"enqueued\":80,\"sent\":0,\"queued\":50,"
            + "\"queuedBytes\":2100,\"dropped\":30,\"expired\":0,\"skippedByDigest\":0},"
            + "\"2\":{\"connected\":true,\"digestFilters\":-1,\"enqueued\":4,\"sent\":4,\"queued\":0,"
            + "\"queuedBytes\":0,\"dropped\":2,\"expired\":1,\"skippedByDigest\":9}}}";

    @Test
    void readsTheRoutersJson() {
        RoutingCounters c = RoutingCounters.read(PUBLISHED.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, c.node());
        assertEquals(3, c.staleRetained());
        assertEquals(7, c.sharedSuppressed());
        assertEquals(50, c.journalOwed());
        assertFalse(c.peers().get("1").connected());
        assertEquals(50, c.peers().get("1").queued());
        assertEquals(9, c.peers().get("2").skippedByDigest());
        assertTrue(c.peers().get("2").connected());
        assertEquals(32, c.dropped(), "dropped over all peers");
    }
}
