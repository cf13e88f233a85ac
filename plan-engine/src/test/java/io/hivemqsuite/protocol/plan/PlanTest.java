package io.hivemqsuite.protocol.plan;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanTest {

    /** A stand-in for a node: PENDING -> STARTING (launched) -> COMPLETE (healthy), counting launches. */
    static final class NodeAction implements StepAction {
        int launches;
        boolean healthy;
        boolean failLaunch;
        boolean throwOnLaunch;

        @Override
        public Progress advance(StepContext context) {
            if (context.status() == Status.PENDING) {
                if (throwOnLaunch) {
                    throw new IllegalStateException("node-agent jar is missing");
                }
                if (failLaunch) {
                    return Progress.of(Status.ERROR, "agent exited 3 times");
                }
                launches++;
                return Progress.of(Status.STARTING, "launched");
            }
            return healthy ? Progress.of(Status.COMPLETE, "healthy") : Progress.of(Status.STARTED, "waiting for health");
        }

        @Override
        public Optional<Progress> observe(StepContext context) {
            return healthy ? Optional.of(Progress.of(Status.COMPLETE, "already healthy")) : Optional.empty();
        }
    }

    private static Plan plan(Strategy phases, Strategy steps, List<NodeAction> actions, int phaseCount, int stepCount) {
        List<Phase> list = new ArrayList<>();
        for (int p = 0; p < phaseCount; p++) {
            List<Step> stepList = new ArrayList<>();
            for (int s = 0; s < stepCount; s++) {
                NodeAction action = new NodeAction();
                actions.add(action);
                stepList.add(new Step("hivemq-" + (p * stepCount + s) + ":[node]", action));
            }
            list.add(new Phase("phase-" + p, steps, stepList));
        }
        return new Plan("deploy", phases, list);
    }

    private static List<Status> stepStatuses(Plan plan) {
        return plan.view().phases().stream().flatMap(p -> p.steps().stream()).map(PlanView.StepView::status).toList();
    }

    @Test
    void serialStrategyStartsOneStepAtATimeInOrder() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.SERIAL, Strategy.SERIAL, actions, 1, 3);
        assertEquals(Status.PENDING, plan.status());

        plan.tick();
        assertEquals(List.of(Status.STARTING, Status.PENDING, Status.PENDING), stepStatuses(plan));
        assertEquals(Status.IN_PROGRESS, plan.status());
        plan.tick();
        assertEquals(List.of(Status.STARTED, Status.PENDING, Status.PENDING), stepStatuses(plan));

        actions.get(0).healthy = true;
        plan.tick();
        assertEquals(List.of(Status.COMPLETE, Status.PENDING, Status.PENDING), stepStatuses(plan));
        plan.tick();
        assertEquals(List.of(Status.COMPLETE, Status.STARTING, Status.PENDING), stepStatuses(plan));
        assertEquals("serial", plan.view().strategy());
    }

    @Test
    void parallelStrategyStartsEveryStepTogether() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.SERIAL, Strategy.PARALLEL, actions, 1, 3);
        plan.tick();
        assertEquals(List.of(Status.STARTING, Status.STARTING, Status.STARTING), stepStatuses(plan));
        actions.forEach(a -> a.healthy = true);
        plan.tick();
        assertEquals(Status.COMPLETE, plan.status());
        assertEquals("parallel", plan.view().phases().get(0).strategy());
        // A complete plan is left alone: nothing is launched twice.
        plan.tick();
        actions.forEach(a -> assertEquals(1, a.launches));
    }

    @Test
    void serialPhasesRunOneAfterTheOtherParallelPhasesTogether() {
        List<NodeAction> serialActions = new ArrayList<>();
        Plan serial = plan(Strategy.SERIAL, Strategy.SERIAL, serialActions, 2, 1);
        serial.tick();
        assertEquals(List.of(Status.STARTING, Status.PENDING), stepStatuses(serial));

        List<NodeAction> parallelActions = new ArrayList<>();
        Plan parallel = plan(Strategy.PARALLEL, Strategy.SERIAL, parallelActions, 2, 1);
        parallel.tick();
        assertEquals(List.of(Status.STARTING, Status.STARTING), stepStatuses(parallel));
    }

    @Test
    void interruptHoldsBackPendingStepsAndContinueResumes() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.SERIAL, Strategy.SERIAL, actions, 1, 2);
        plan.tick();
        plan.interrupt(null);
        assertEquals(Status.WAITING, plan.status());
        assertEquals(List.of(Status.STARTING, Status.WAITING), stepStatuses(plan));

        // The running step finishes, the next one does not start.
        actions.get(0).healthy = true;
        plan.tick();
        plan.tick();
        plan.tick();
        assertEquals(List.of(Status.COMPLETE, Status.WAITING), stepStatuses(plan));
        assertEquals(0, actions.get(1).launches);

        plan.proceed(null);
        assertEquals(Status.IN_PROGRESS, plan.status());
        plan.tick();
        assertEquals(List.of(Status.COMPLETE, Status.STARTING), stepStatuses(plan));
    }

    @Test
    void interruptOfOnePhaseLeavesTheOtherPhasesRunning() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.PARALLEL, Strategy.SERIAL, actions, 2, 1);
        plan.interrupt("phase-1");
        plan.tick();
        assertEquals(List.of(Status.STARTING, Status.WAITING), stepStatuses(plan));
        assertEquals(Status.WAITING, plan.view().phases().get(1).status());
        assertEquals(Status.IN_PROGRESS, plan.status());
        plan.proceed("phase-1");
        plan.tick();
        assertEquals(List.of(Status.STARTED, Status.STARTING), stepStatuses(plan));
    }

    @Test
    void errorStopsASerialPhaseAndIsReportedUntilTheStepIsRestarted() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.SERIAL, Strategy.SERIAL, actions, 1, 2);
        actions.get(0).failLaunch = true;
        plan.tick();
        plan.tick();
        assertEquals(Status.ERROR, plan.status());
        assertEquals(List.of(Status.ERROR, Status.PENDING), stepStatuses(plan));
        assertEquals(List.of("phase-0/hivemq-0:[node]: agent exited 3 times"), plan.view().errors());

        actions.get(0).failLaunch = false;
        plan.restart("phase-0", "hivemq-0:[node]");
        assertEquals(Status.PENDING, plan.status());
        plan.tick();
        assertEquals(List.of(Status.STARTING, Status.PENDING), stepStatuses(plan));
        assertTrue(plan.view().errors().isEmpty());
    }

    @Test
    void anErrorInAParallelPhaseDoesNotHoldBackTheOtherSteps() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.SERIAL, Strategy.PARALLEL, actions, 1, 2);
        actions.get(0).throwOnLaunch = true;
        plan.tick();
        assertEquals(List.of(Status.ERROR, Status.STARTING), stepStatuses(plan));
        assertEquals("node-agent jar is missing", plan.view().phases().get(0).steps().get(0).message());
        actions.get(1).healthy = true;
        plan.tick();
        assertEquals(List.of(Status.ERROR, Status.COMPLETE), stepStatuses(plan));

        plan.forceComplete("phase-0", "hivemq-0:[node]");
        assertEquals(Status.COMPLETE, plan.status());
    }

    @Test
    void stopResetsEveryStepAndStartRunsAgain() {
        List<NodeAction> actions = new ArrayList<>();
        Plan plan = plan(Strategy.SERIAL, Strategy.PARALLEL, actions, 1, 2);
        plan.tick();
        plan.stop();
        assertEquals(Status.WAITING, plan.status());
        assertEquals(List.of(Status.WAITING, Status.WAITING), stepStatuses(plan));
        plan.tick();
        assertEquals(List.of(Status.WAITING, Status.WAITING), stepStatuses(plan));

        plan.start(Map.of("URL", "https://example.invalid/x.zip"));
        assertEquals(Status.PENDING, plan.status());
        assertEquals(Map.of("URL", "https://example.invalid/x.zip"), plan.parameters());
        plan.tick();
        assertEquals(List.of(Status.STARTING, Status.STARTING), stepStatuses(plan));
        actions.forEach(a -> assertEquals(2, a.launches));
    }

    @Test
    void unknownPhaseOrStepIsRefusedWithTheField() {
        Plan plan = plan(Strategy.SERIAL, Strategy.SERIAL, new ArrayList<>(), 1, 1);
        PlanRequestException phase = assertThrows(PlanRequestException.class, () -> plan.interrupt("nope"));
        assertEquals("phase", phase.field());
        PlanRequestException step = assertThrows(PlanRequestException.class, () -> plan.restart("phase-0", "nope"));
        assertEquals("step", step.field());
        assertThrows(PlanRequestException.class, () -> plan.forceComplete(null, "hivemq-0:[node]"));
        assertEquals(Status.PENDING, plan.status());
    }

    @Test
    void progressIsPersistedAndAResumedPlanNeitherRedoesNorForgets() {
        MemoryPlanStore store = new MemoryPlanStore();
        List<NodeAction> first = new ArrayList<>();
        PlanEngine engine = new PlanEngine(store);
        Plan plan = engine.register(plan(Strategy.SERIAL, Strategy.SERIAL, first, 1, 3));
        engine.tick();
        first.get(0).healthy = true;
        engine.tick();
        engine.tick();
        plan.interrupt("phase-0");
        PlanState stored = store.load("deploy").orElseThrow();
        assertEquals(List.of(Status.COMPLETE, Status.STARTING, Status.PENDING),
                stored.phases().get(0).steps().stream().map(PlanState.StepState::status).toList());
        assertTrue(stored.phases().get(0).interrupted());
        assertEquals(Status.STARTING, store.load("deploy").orElseThrow().phases().get(0).steps().get(1).status());

        // A new process: new actions, same store. Node 2 came up healthy while nobody watched.
        List<NodeAction> second = new ArrayList<>();
        PlanEngine restarted = new PlanEngine(store);
        Plan resumed = restarted.register(plan(Strategy.SERIAL, Strategy.SERIAL, second, 1, 3));
        second.get(2).healthy = true;
        // observe() ran at register time, before node 2 was healthy: restore again to show derivation
        resumed.restore(store.load("deploy").orElseThrow());
        assertEquals(List.of(Status.COMPLETE, Status.STARTING, Status.COMPLETE), resumed.view().phases().get(0)
                .steps().stream().map(PlanView.StepView::status).toList());
        assertTrue(resumed.phase("phase-0").orElseThrow().interrupted(), "the interrupt survives the restart");
        assertEquals(plan.view().phases().get(0).steps().get(0).id(), resumed.view().phases().get(0).steps().get(0).id(),
                "step ids are stable across restarts");

        resumed.proceed("phase-0");
        second.get(1).healthy = true;
        restarted.tick();
        assertEquals(Status.COMPLETE, resumed.status());
        assertEquals(0, second.get(0).launches, "a COMPLETE step is not redone after a restart");
        assertEquals(0, second.get(1).launches, "a started step is continued, not launched again");
        assertEquals(Status.COMPLETE, new PlanEngine(store).register(plan(Strategy.SERIAL, Strategy.SERIAL,
                new ArrayList<>(), 1, 3)).status());
    }

    @Test
    void aggregateStatusFollowsDcosCommons() {
        assertEquals(Status.COMPLETE, Plan.aggregate(List.of(), false));
        assertEquals(Status.PENDING, Plan.aggregate(List.of(Status.PENDING, Status.PENDING), false));
        assertEquals(Status.IN_PROGRESS, Plan.aggregate(List.of(Status.COMPLETE, Status.PENDING), false));
        assertEquals(Status.IN_PROGRESS, Plan.aggregate(List.of(Status.STARTED, Status.PENDING), false));
        assertEquals(Status.ERROR, Plan.aggregate(List.of(Status.ERROR, Status.STARTED), true));
        assertEquals(Status.WAITING, Plan.aggregate(List.of(Status.COMPLETE, Status.PENDING), true));
        assertEquals(Status.COMPLETE, Plan.aggregate(List.of(Status.COMPLETE, Status.COMPLETE), true));
    }
}
