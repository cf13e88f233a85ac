package io.hivemqsuite.protocol.plan;

import io.hivemqsuite.protocol.node.PodNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plan series of a service that runs plans, on its own Micrometer registry (so on its {@code /q/metrics}, which
 * metrics-svc re-exports with {@code service_name}):
 * <ul>
 *   <li>{@code hivemq_suite_plan_step_duration_seconds{plan,phase,step,node}}: how long the step's last run took from
 *       leaving PENDING to COMPLETE (a gauge: plan steps run once per plan run, a distribution of one says little);</li>
 *   <li>{@code hivemq_suite_plan_step_failures_total{plan}}: steps that went to ERROR. Registered with the plan, so a
 *       plan that never failed shows 0 instead of no series.</li>
 * </ul>
 * {@code node} is the pod a step works on ({@code hivemq-0:[node]} -> {@code hivemq-0}), empty for other steps.
 * The values live here, not in the plans, so they survive the rebuilt plans of an update or a sidecar re-shape.
 */
public final class PlanMeters implements PlanObserver {
    public static final String STEP_DURATION = "hivemq_suite_plan_step_duration_seconds";
    public static final String STEP_FAILURES = "hivemq_suite_plan_step_failures";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Map<StepKey, Double> durations = new ConcurrentHashMap<>();

    private record StepKey(String plan, String phase, String step) {
    }

    public PlanMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void registered(String plan) {
        failures.computeIfAbsent(plan, p -> {
            AtomicLong count = new AtomicLong();
            FunctionCounter.builder(STEP_FAILURES, count, AtomicLong::get).tag("plan", p)
                    .description("plan steps that went to ERROR").register(registry);
            return count;
        });
    }

    @Override
    public void stepChanged(String plan, String phase, String step, Status from, Status to, long millisSinceStart) {
        if (to == Status.ERROR) {
            registered(plan);
            failures.get(plan).incrementAndGet();
        } else if (to == Status.COMPLETE) {
            StepKey key = new StepKey(plan, phase, step);
            if (durations.put(key, Math.max(0, millisSinceStart) / 1000.0) == null) {
                Gauge.builder(STEP_DURATION, durations, d -> d.getOrDefault(key, Double.NaN))
                        .tags("plan", plan, "phase", phase, "step", step, "node", node(step))
                        .description("duration of the step's last run to COMPLETE").register(registry);
            }
        }
    }

    /** The pod of a per-node step name ({@code hivemq-3:[add-license]}), else empty. */
    static String node(String step) {
        int colon = step.indexOf(':');
        String pod = colon < 0 ? step : step.substring(0, colon);
        return PodNames.indexOf(pod) >= 0 ? pod : "";
    }
}
