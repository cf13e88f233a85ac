package io.hivemqsuite.metrics.statsd;

import io.hivemqsuite.metrics.node.NodeView;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.metrics.prometheus.PrometheusNames;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns node snapshots into StatsD lines with DogStatsD tags, the form the DC/OS metrics collector reads:
 * {@code com.hivemq.networking.connections.current:3|g|#service_name:hivemq,node:hivemq-0}. Gauges are sent as they
 * are; counters as the increase since the previous push ({@code |c}), as StatsD sums counters per flush. The first
 * sight of a counter only sets its baseline; a counter that went down (a restarted broker) counts from 0 again.
 * Keeps one number per node and metric, nothing else: a collector that is away costs no memory.
 */
final class DogStatsdLines {
    /** Below the 1500-byte Ethernet MTU minus IP/UDP headers: a datagram is never fragmented. */
    static final int MAX_DATAGRAM = 1432;

    private final Map<String, Map<String, Double>> lastCounters = new HashMap<>();

    /** The datagrams of one push: lines joined by newlines, each datagram at most {@link #MAX_DATAGRAM} bytes. */
    List<byte[]> push(String serviceName, List<NodeView> nodes) {
        List<String> lines = new ArrayList<>();
        lastCounters.keySet().retainAll(nodes.stream().map(NodeView::pod).toList());
        for (NodeView node : nodes) {
            String tags = "|#service_name:" + tag(serviceName) + ",node:" + node.pod();
            lines.add("hivemq_suite.metrics.up:" + (node.snapshot() != null ? 1 : 0) + "|g" + tags);
            if (node.snapshot() == null) {
                continue;
            }
            Map<String, Double> last = lastCounters.computeIfAbsent(node.pod(), p -> new HashMap<>());
            for (MetricsSnapshot.Sample s : node.snapshot().samples()) {
                if (s.kind() == MetricsSnapshot.Kind.GAUGE) {
                    lines.add(s.name() + ":" + PrometheusNames.value(s.value()) + "|g" + tags);
                    continue;
                }
                Double previous = last.put(s.name(), s.value());
                if (previous != null) {
                    double delta = s.value() >= previous ? s.value() - previous : s.value();
                    lines.add(s.name() + ":" + PrometheusNames.value(delta) + "|c" + tags);
                }
            }
        }
        return pack(lines);
    }

    private static List<byte[]> pack(List<String> lines) {
        List<byte[]> datagrams = new ArrayList<>();
        StringBuilder current = new StringBuilder(MAX_DATAGRAM);
        for (String line : lines) {
            int length = line.getBytes(StandardCharsets.UTF_8).length;
            if (length > MAX_DATAGRAM) {
                continue; // cannot happen with valid names; never send a fragment of a line
            }
            if (current.length() > 0 && current.length() + 1 + length > MAX_DATAGRAM) {
                datagrams.add(current.toString().getBytes(StandardCharsets.UTF_8));
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            current.append(line);
        }
        if (current.length() > 0) {
            datagrams.add(current.toString().getBytes(StandardCharsets.UTF_8));
        }
        return datagrams;
    }

    /** DogStatsD tag values end at ',' and '|'; a service name never holds them, but a foldered one holds '/'. */
    private static String tag(String value) {
        return value.replace(',', '_').replace('|', '_').replace('#', '_');
    }
}
