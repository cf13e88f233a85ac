package io.hivemqsuite.protocol.plan;

import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlanMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong(1_000_000);

    private Plan deploy(PlanTest.NodeAction first, PlanTest.NodeAction second) {
        return new Plan("deploy", Strategy.SERIAL, List.of(new Phase("node-deploy", Strategy.PARALLEL,
                List.of(new Step("hivemq-0:[node]", first), new Step("hivemq-1:[node]", second)))), clock::get);
    }

    private double failures(String plan) {
        return registry.get(PlanMeters.STEP_FAILURES).tag("plan", plan).functionCounter().count();
    }

    private Search duration(String node) {
        return registry.find(PlanMeters.STEP_DURATION).tag("node", node);
    }

    @Test
    void aCompletedStepReportsItsRunFromLeavingPendingAndAFailureIsCountedPerPlan() {
        PlanEngine engine = new PlanEngine(new MemoryPlanStore(), new PlanMeters(registry));
        PlanTest.NodeAction first = new PlanTest.NodeAction();
        PlanTest.NodeAction second = new PlanTest.NodeAction();
        second.failLaunch = true;
        Plan plan = engine.register(deploy(first, second));
        engine.register(new Plan("recovery", Strategy.PARALLEL, List.of()));
        assertEquals(0, failures("deploy"), "a plan that never failed has a 0 series, not none");
        assertEquals(0, failures("recovery"));

        plan.tick(); // hivemq-0 launched at t0; hivemq-1 fails
        clock.addAndGet(2_500);
        first.healthy = true;
        plan.tick();

        assertEquals(2.5, duration("hivemq-0").gauge().value(), 1e-9);
        assertEquals("deploy", duration("hivemq-0").gauge().getId().getTag("plan"));
        assertEquals("node-deploy", duration("hivemq-0").gauge().getId().getTag("phase"));
        assertEquals("hivemq-0:[node]", duration("hivemq-0").gauge().getId().getTag("step"));
        assertNull(duration("hivemq-1").gauge(), "a step that did not complete has no duration");
        assertEquals(1, failures("deploy"));
        assertEquals(0, failures("recovery"));
    }

    @Test
    void aForcedCompletionIsNoRunAndARestartedStepTimesItsNewRun() {
        PlanEngine engine = new PlanEngine(new MemoryPlanStore(), new PlanMeters(registry));
        PlanTest.NodeAction first = new PlanTest.NodeAction();
        PlanTest.NodeAction second = new PlanTest.NodeAction();
        Plan plan = engine.register(deploy(first, second));
        plan.forceComplete("node-deploy", "hivemq-1:[node]");
        plan.tick();
        clock.addAndGet(1_000);
        first.healthy = true;
        plan.tick();
        assertNull(duration("hivemq-1").gauge());
        assertEquals(1.0, duration("hivemq-0").gauge().value(), 1e-9);

        clock.addAndGet(60_000);
        plan.restart("node-deploy", "hivemq-0:[node]");
        first.healthy = false;
        plan.tick();
        clock.addAndGet(4_000);
        first.healthy = true;
        plan.tick();
        assertEquals(4.0, duration("hivemq-0").gauge().value(), 1e-9, "the last run, not the time since the first");
    }

    @Test
    void theNodeIsThePodOfAPerNodeStep() {
        assertEquals("hivemq-3", PlanMeters.node("hivemq-3:[add-license]"));
        assertEquals("hivemq-12", PlanMeters.node("hivemq-12"));
        assertEquals("", PlanMeters.node("update-listeners"));
    }
}
