package io.hivemqsuite.metrics.statsd;

import io.hivemqsuite.metrics.node.NodeView;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Kind;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Sample;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DogStatsdLinesTest {
    private final DogStatsdLines lines = new DogStatsdLines();

    @Test
    void gaugesAsTheyAreCountersAsIncreasesWithDogStatsdTags() {
        assertEquals(List.of(
                "hivemq_suite.metrics.up:1|g|#service_name:hivemq,node:hivemq-2",
                "com.hivemq.networking.connections.current:3|g|#service_name:hivemq,node:hivemq-2"),
                push(view(2, 40, 3)), "the first sight of a counter is its baseline");
        assertEquals(List.of(
                "hivemq_suite.metrics.up:1|g|#service_name:hivemq,node:hivemq-2",
                "com.hivemq.messages.incoming.publish.count:25|c|#service_name:hivemq,node:hivemq-2",
                "com.hivemq.networking.connections.current:4|g|#service_name:hivemq,node:hivemq-2"),
                push(view(2, 65, 4)));
        // the broker restarted: its counter starts at 0 again, so all of it is new
        assertTrue(push(view(2, 5, 1)).contains(
                "com.hivemq.messages.incoming.publish.count:5|c|#service_name:hivemq,node:hivemq-2"));
    }

    @Test
    void aStaleNodeSendsOnlyItsUpGauge() {
        assertEquals(List.of("hivemq_suite.metrics.up:0|g|#service_name:hivemq,node:hivemq-0"),
                push(new NodeView(0, false, false, null, 99, null, null)));
    }

    @Test
    void datagramsStayBelowOneMtu() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            samples.add(new Sample("com.hivemq.some.rather.long.metric.name.number" + i, Kind.GAUGE, i));
        }
        List<byte[]> datagrams = lines.push("hivemq", List.of(new NodeView(0, true, true,
                new MetricsSnapshot(0, 1, 5, samples), 0, null, null)));
        assertTrue(datagrams.size() > 5);
        int total = 0;
        for (byte[] d : datagrams) {
            assertTrue(d.length <= DogStatsdLines.MAX_DATAGRAM, "datagram of " + d.length + " bytes");
            total += new String(d, StandardCharsets.UTF_8).split("\n").length;
        }
        assertEquals(201, total, "every line sent once, none split");
    }

    private List<String> push(NodeView view) {
        List<String> all = new ArrayList<>();
        for (byte[] d : lines.push("hivemq", List.of(view))) {
            all.addAll(List.of(new String(d, StandardCharsets.UTF_8).split("\n")));
        }
        return all;
    }

    private static NodeView view(int node, long published, long connections) {
        return new NodeView(node, true, true, new MetricsSnapshot(node, 1, 5, List.of(
                new Sample("com.hivemq.messages.incoming.publish.count", Kind.COUNTER, published),
                new Sample("com.hivemq.networking.connections.current", Kind.GAUGE, connections))), 0, null, null);
    }
}
