package io.hivemqsuite.protocol.metrics;

import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Kind;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Sample;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsSnapshotTest {

    @Test
    void aSnapshotSurvivesItsWireForm() {
        MetricsSnapshot snapshot = new MetricsSnapshot(2, 1_764_000_000_123L, 5, List.of(
                new Sample("com.hivemq.messages.incoming.publish.rate", Kind.COUNTER, 123456789012L),
                new Sample("com.hivemq.networking.connections.current", Kind.GAUGE, 3),
                new Sample("com.hivemq.jvm.memory.heap.usage", Kind.GAUGE, 0.4375),
                new Sample("com.hivemq.jvm.cpu-load", Kind.GAUGE, -1)));
        MetricsSnapshot read = MetricsSnapshot.decode(snapshot.encode());
        assertEquals(snapshot, read);
        String text = new String(snapshot.encode(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("hms1 2 1764000000123 5\nc com.hivemq.messages.incoming.publish.rate 123456789012\n"),
                text);
    }

    @Test
    void anEmptySnapshotIsValid() {
        MetricsSnapshot empty = new MetricsSnapshot(0, 1, 1, List.of());
        assertEquals(empty, MetricsSnapshot.decode(empty.encode()));
    }

    @Test
    void malformedSnapshotsAreRefusedWithTheLineAndTheReason() {
        assertEquals("line 1: not a metrics snapshot (expected 'hms1 <node> <takenAt> <interval>')",
                refusal("{\"node\":1}"));
        assertEquals("line 1: node must be a non-negative integer but is '-1'", refusal("hms1 -1 5 5"));
        assertEquals("line 1: interval must be at least 1 s but is 0", refusal("hms1 1 5 0"));
        assertEquals("line 2: expected '<c|g> <name> <value>' but is 'x com.hivemq.a 1'",
                refusal("hms1 1 5 5\nx com.hivemq.a 1"));
        assertEquals("line 3: value of com.hivemq.b is not a number: 'many'",
                refusal("hms1 1 5 5\nc com.hivemq.a 1\ng com.hivemq.b many"));
        assertEquals("line 2: metric com.hivemq.a must have a finite value but has NaN",
                refusal("hms1 1 5 5\ng com.hivemq.a NaN"));
        assertTrue(refusal("hms1 1 5 5\ng com.hivemq.a{x=\"1\"} 1").startsWith("line 2: metric name must be"));
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class,
                () -> MetricsSnapshot.decode(text.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
