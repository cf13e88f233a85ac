package io.hivemqsuite.metrics.prometheus;

import io.hivemqsuite.metrics.node.NodeView;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Kind;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Sample;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterExpositionTest {

    @Test
    void namesAreHiveMqsOwnPrometheusNames() {
        assertEquals("com_hivemq_messages_incoming_publish_count",
                PrometheusNames.of("com.hivemq.messages.incoming.publish.count"));
        assertEquals("com_hivemq_networking_connections_current",
                PrometheusNames.of("com.hivemq.networking.connections.current"));
        assertEquals("com_hivemq_networking_connections_closed_total_count",
                PrometheusNames.of("com.hivemq.networking.connections-closed.total.count"));
        assertEquals("_lives", PrometheusNames.of("9lives"), "a name never starts with a digit");
    }

    @Test
    void countersAreCountersGaugesAreGaugesLabelledByServiceAndNode() {
        NodeView node0 = new NodeView(0, true, true, snapshot(0, 40, 3), 1.2, null, status(0, 1));
        NodeView node1 = new NodeView(1, true, true, snapshot(1, 7, 1), 0.4, null, status(1, 3));
        String text = ClusterExposition.render("hivemq", true, List.of(node0, node1));

        assertTrue(text.contains("""
                # HELP com_hivemq_messages_incoming_publish_count HiveMQ metric com.hivemq.messages.incoming.publish.count
                # TYPE com_hivemq_messages_incoming_publish_count counter
                com_hivemq_messages_incoming_publish_count{service_name="hivemq",node="hivemq-0"} 40
                com_hivemq_messages_incoming_publish_count{service_name="hivemq",node="hivemq-1"} 7
                """), text);
        assertTrue(text.contains("""
                # TYPE com_hivemq_networking_connections_current gauge
                com_hivemq_networking_connections_current{service_name="hivemq",node="hivemq-0"} 3
                """), text);
        assertTrue(text.contains("com_hivemq_jvm_process_cpu_load{service_name=\"hivemq\",node=\"hivemq-1\"} 0.25\n"));
        assertTrue(text.contains("hivemq_suite_metrics_up{service_name=\"hivemq\",node=\"hivemq-1\"} 1\n"));
        assertTrue(text.contains("hivemq_suite_broker_restarts{service_name=\"hivemq\",node=\"hivemq-1\"} 2\n"), text);
        assertEquals(1, count(text, "# TYPE com_hivemq_messages_incoming_publish_count "), "one family, once");
    }

    @Test
    void aStaleNodeSaysSoAndItsSeriesVanish() {
        RoutingCounters routing = new RoutingCounters(1, true, 0, 5, 0, 0, 0, 0, 0, 0,
                Map.of("0", new RoutingCounters.Peer(true, 1, 9, 9, 0, 0, 0, 0, 0)));
        NodeView stale = new NodeView(1, false, true, null, 30, null, status(1, 1));
        NodeView fresh = new NodeView(0, true, true, snapshot(0, 1, 1), 1, routing, status(0, 1));
        String text = ClusterExposition.render("svc", true, List.of(fresh, stale));
        assertTrue(text.contains("hivemq_suite_metrics_up{service_name=\"svc\",node=\"hivemq-1\"} 0\n"), text);
        assertFalse(text.contains("node=\"hivemq-1\"} 40"), text);
        assertFalse(text.lines().anyMatch(l -> l.startsWith("com_hivemq") && l.contains("hivemq-1")), text);
        assertTrue(text.contains(
                "hivemq_suite_routing_sent_total{service_name=\"svc\",node=\"hivemq-0\",peer=\"hivemq-0\"} 9\n"), text);
    }

    private static MetricsSnapshot snapshot(int node, long published, long connections) {
        return new MetricsSnapshot(node, System.currentTimeMillis(), 5, List.of(
                new Sample("com.hivemq.messages.incoming.publish.count", Kind.COUNTER, published),
                new Sample("com.hivemq.networking.connections.current", Kind.GAUGE, connections),
                new Sample("com.hivemq.jvm.process.cpu.load", Kind.GAUGE, 0.25)));
    }

    private static NodeStatus status(int node, int brokerStarts) {
        return new NodeStatus(node, "hivemq-" + node, "127.0.1." + (node + 1), NodeState.HEALTHY, 100, brokerStarts,
                Map.of(), "ok", 0);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
