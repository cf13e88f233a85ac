package io.hivemqsuite.metrics.prometheus;

import io.hivemqsuite.metrics.node.NodeView;
import io.hivemqsuite.metrics.suite.ServiceScrape;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.routing.RoutingCounters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The cluster's series in the Prometheus text format (0.0.4), labelled {@code service_name} and {@code node}:
 * <ul>
 *   <li>every broker metric of every reporting node under HiveMQ's name ({@link PrometheusNames}), typed counter or
 *       gauge as the snapshot says;</li>
 *   <li>{@code hivemq_suite_metrics_up} (1 while the node's snapshots arrive in time, 0 when it is stale: its broker
 *       series are gone then, not frozen), {@code hivemq_suite_node_healthy}, {@code hivemq_suite_broker_restarts}
 *       (from the agent's retained status);</li>
 *   <li>the router's counters ({@code hivemq_suite_routing_*}, per peer labelled {@code peer}), named as the node
 *       agent's {@code /q/metrics} names them;</li>
 *   <li>the suite services' own plan step, control command and VIP series ({@link #SUITE_FAMILIES}), relabelled with
 *       {@code service_name}, and {@code hivemq_suite_metrics_source_up} per service.</li>
 * </ul>
 * Written by hand rather than through Micrometer: Micrometer's Prometheus naming appends {@code _total} to every
 * counter, which would rename HiveMQ's {@code ..._count} series that existing dashboards chart.
 */
public final class ClusterExposition {
    private final String serviceName;
    private final Map<String, Family> families = new TreeMap<>();

    private ClusterExposition(String serviceName) {
        this.serviceName = serviceName;
    }

    /** Families of the suite services' own meters that the cluster's scrape carries (see SuiteServices). */
    static final List<String> SUITE_FAMILIES = List.of("hivemq_suite_plan_step_", "hivemq_suite_control_command_",
            "hivemq_suite_vip_");

    public static String render(String serviceName, boolean metricsEnabled, List<NodeView> nodes) {
        return render(serviceName, metricsEnabled, nodes, List.of());
    }

    public static String render(String serviceName, boolean metricsEnabled, List<NodeView> nodes,
                                List<ServiceScrape> services) {
        ClusterExposition text = new ClusterExposition(serviceName);
        for (NodeView node : nodes) {
            text.node(node, metricsEnabled);
        }
        for (ServiceScrape service : services) {
            text.service(service);
        }
        StringBuilder out = new StringBuilder(8192);
        text.families.values().forEach(f -> f.appendTo(out));
        return out.toString();
    }

    private void node(NodeView node, boolean metricsEnabled) {
        String pod = node.pod();
        if (metricsEnabled) {
            gauge("hivemq_suite_metrics_up", "1 while the node's broker metrics arrive in time, 0 when it is stale",
                    pod, null, node.snapshot() != null ? 1 : 0);
        }
        gauge("hivemq_suite_node_healthy", "1 while the node's agent reports HEALTHY", pod, null,
                node.status() != null && node.status().healthy() ? 1 : 0);
        if (node.status() != null) {
            gauge("hivemq_suite_broker_restarts", "broker restarts by the node's agent since the agent started", pod,
                    null, Math.max(0, node.status().brokerStarts() - 1));
        }
        MetricsSnapshot snapshot = node.snapshot();
        if (snapshot != null) {
            for (MetricsSnapshot.Sample s : snapshot.samples()) {
                family(PrometheusNames.of(s.name()), s.kind() == MetricsSnapshot.Kind.COUNTER ? "counter" : "gauge",
                        "HiveMQ metric " + s.name()).add(labels(pod, null), s.value());
            }
        }
        RoutingCounters r = node.routing();
        if (r != null) {
            counter("hivemq_suite_routing_received_total", "routed messages taken in from peers", pod, null, r.received());
            counter("hivemq_suite_routing_intake_failures_total", "routed messages that could not be published here",
                    pod, null, r.intakeFailures());
            counter("hivemq_suite_routing_shared_suppressed_total",
                    "shared-subscription deliveries left to the node that delivers the group", pod, null,
                    r.sharedSuppressed());
            gauge("hivemq_suite_routing_journal_owed", "QoS 1/2 messages on disk that a peer has not acknowledged yet",
                    pod, null, Math.max(0, r.journalOwed()));
            for (Map.Entry<String, RoutingCounters.Peer> e : r.peers().entrySet()) {
                String peer = RoutingCounters.pod(e.getKey());
                RoutingCounters.Peer p = e.getValue();
                peer("hivemq_suite_routing_sent_total", "counter", "envelopes sent to the peer", pod, peer, p,
                        RoutingCounters.Peer::sent);
                peer("hivemq_suite_routing_dropped_total", "counter", "envelopes dropped because the peer queue was full",
                        pod, peer, p, RoutingCounters.Peer::dropped);
                peer("hivemq_suite_routing_expired_total", "counter", "envelopes whose message expired while queued",
                        pod, peer, p, RoutingCounters.Peer::expired);
                peer("hivemq_suite_routing_queued", "gauge", "envelopes waiting for the peer (the routing lag)", pod,
                        peer, p, RoutingCounters.Peer::queued);
                peer("hivemq_suite_routing_queued_bytes", "gauge", "bytes waiting for the peer", pod, peer, p,
                        RoutingCounters.Peer::queuedBytes);
                peer("hivemq_suite_routing_peer_connected", "gauge", "1 while the link to the peer is up", pod, peer, p,
                        x -> x.connected() ? 1 : 0);
            }
        }
    }

    /**
     * A suite service's series of {@link #SUITE_FAMILIES}, as its Micrometer wrote them, with {@code service_name}
     * added; families of the same name from several services (plan steps of scheduler-svc and sidecar-svc) become one.
     */
    private void service(ServiceScrape service) {
        family("hivemq_suite_metrics_source_up", "gauge",
                "1 while the suite service answers its /q/metrics (its plan, command and VIP series are in this scrape)")
                .add("{service_name=\"" + PrometheusNames.labelValue(serviceName) + "\",source=\""
                        + PrometheusNames.labelValue(service.source()) + "\"}", service.up() ? 1 : 0);
        if (!service.up()) {
            return;
        }
        Map<String, String> help = new HashMap<>();
        Family current = null;
        for (String line : service.text().split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                help.put(parts[2], parts.length > 3 ? parts[3] : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                String name = parts[2];
                String text = help.getOrDefault(name, "").strip();
                current = SUITE_FAMILIES.stream().anyMatch(name::startsWith) && parts.length > 3
                        ? family(name, parts[3], text.isEmpty() ? "suite series from " + service.source() : text)
                        : null;
            } else if (current != null && !line.isBlank() && !line.startsWith("#")) {
                current.samples.add(withServiceName(line));
            }
        }
    }

    private String withServiceName(String sample) {
        String label = "service_name=\"" + PrometheusNames.labelValue(serviceName) + "\"";
        int brace = sample.indexOf('{');
        int space = sample.indexOf(' ');
        if (brace >= 0 && (space < 0 || brace < space)) {
            return sample.substring(0, brace + 1) + label + (sample.charAt(brace + 1) == '}' ? "" : ",")
                    + sample.substring(brace + 1);
        }
        return sample.substring(0, space) + "{" + label + "}" + sample.substring(space);
    }

    private void peer(String name, String type, String help, String pod, String peer, RoutingCounters.Peer p,
                      ToDoubleFunction<RoutingCounters.Peer> value) {
        family(name, type, help).add(labels(pod, peer), value.applyAsDouble(p));
    }

    private void gauge(String name, String help, String pod, String peer, double value) {
        family(name, "gauge", help).add(labels(pod, peer), value);
    }

    private void counter(String name, String help, String pod, String peer, double value) {
        family(name, "counter", help).add(labels(pod, peer), value);
    }

    private Family family(String name, String type, String help) {
        return families.computeIfAbsent(name, n -> new Family(n, type, help));
    }

    private String labels(String pod, String peer) {
        return "{service_name=\"" + PrometheusNames.labelValue(serviceName) + "\",node=\""
                + PrometheusNames.labelValue(pod) + "\"" + (peer == null ? "" : ",peer=\""
                + PrometheusNames.labelValue(peer) + "\"") + "}";
    }

    private static final class Family {
        final String name;
        final String type;
        final String help;
        final List<String> samples = new ArrayList<>();

        Family(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void add(String labels, double value) {
            samples.add(name + labels + " " + PrometheusNames.value(value));
        }

        void appendTo(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            samples.forEach(s -> out.append(s).append('\n'));
        }
    }
}
