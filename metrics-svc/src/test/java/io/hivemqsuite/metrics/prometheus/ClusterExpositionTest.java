package io.hivemqsuite.metrics.prometheus;

import io.hivemqsuite.metrics.node.NodeView;
import io.hivemqsuite.metrics.suite.ServiceScrape;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Kind;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Sample;
import io.hivemqsuite.protocol.plan.MemoryPlanStore;
import io.hivemqsuite.protocol.plan.Phase;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanEngine;
import io.hivemqsuite.protocol.plan.PlanMeters;
import io.hivemqsuite.protocol.plan.Progress;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.Step;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.StepContext;
import io.hivemqsuite.protocol.plan.Strategy;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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

    /** The services' own registries, as scheduler-svc, sidecar-svc and endpoint-svc fill them. */
    @Test
    void theSuiteServicesPlanCommandAndVipSeriesAreReExportedWithTheServiceName() {
        PrometheusMeterRegistry scheduler = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong clock = new AtomicLong(10_000);
        PlanEngine engine = new PlanEngine(new MemoryPlanStore(), new PlanMeters(scheduler));
        Plan deploy = engine.register(new Plan("deploy", Strategy.SERIAL, List.of(new Phase("node-deploy",
                Strategy.PARALLEL, List.of(new Step("hivemq-0:[node]", new TwoTicks())))), clock::get));
        deploy.tick();
        clock.addAndGet(3_250);
        deploy.tick();
        scheduler.counter("jvm_unrelated").increment();
        PrometheusMeterRegistry sidecar = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PlanEngine(new MemoryPlanStore(), new PlanMeters(sidecar))
                .register(new Plan("add-license", Strategy.SERIAL, List.of()));
        Timer.builder("hivemq_suite_control_command_round_trip").tags("node", "hivemq-1", "command", "sidecar-check")
                .register(sidecar).record(Duration.ofMillis(40));

        String text = ClusterExposition.render("svc", true, List.of(), List.of(
                new ServiceScrape("scheduler", scheduler.scrape()), new ServiceScrape("sidecar", sidecar.scrape()),
                new ServiceScrape("endpoint", null)));

        assertTrue(text.contains("hivemq_suite_plan_step_duration_seconds{service_name=\"svc\",node=\"hivemq-0\","
                + "phase=\"node-deploy\",plan=\"deploy\",step=\"hivemq-0:[node]\",} 3.25\n"), text);
        assertTrue(text.contains("hivemq_suite_plan_step_failures_total{service_name=\"svc\",plan=\"deploy\",} 0.0\n"),
                text);
        assertTrue(text.contains("hivemq_suite_plan_step_failures_total{service_name=\"svc\",plan=\"add-license\",} 0.0\n"),
                text);
        assertEquals(1, count(text, "# TYPE hivemq_suite_plan_step_failures_total counter"),
                "the scheduler's and the sidecar's plans in one family");
        assertTrue(text.contains("hivemq_suite_control_command_round_trip_seconds_count{service_name=\"svc\","
                + "command=\"sidecar-check\",node=\"hivemq-1\",} 1.0\n"), text);
        assertTrue(text.contains("hivemq_suite_metrics_source_up{service_name=\"svc\",source=\"endpoint\"} 0\n"));
        assertTrue(text.contains("hivemq_suite_metrics_source_up{service_name=\"svc\",source=\"sidecar\"} 1\n"));
        assertFalse(text.contains("jvm_unrelated"), "only the suite's own series, not another service's JVM meters");
        assertTrue(text.lines().filter(l -> l.startsWith("# HELP ")).allMatch(l -> l.split(" ", 4)[3].length() > 1),
                "every family has a help text (promtool): " + text);
    }

    /** PENDING -> STARTING -> COMPLETE, one tick each. */
    private static final class TwoTicks implements StepAction {
        @Override
        public Progress advance(StepContext context) {
            return Progress.of(context.status() == Status.PENDING ? Status.STARTING : Status.COMPLETE, "");
        }
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
