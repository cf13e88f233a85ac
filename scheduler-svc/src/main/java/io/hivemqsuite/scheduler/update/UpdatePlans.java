package io.hivemqsuite.scheduler.update;

import io.hivemqsuite.protocol.plan.Phase;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.Step;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.Strategy;
import io.hivemqsuite.scheduler.plan.NodeStep;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code update} plan of an {@link UpdateRecord}: a serial phase {@code decommission} with a step
 * {@code hivemq-<i>:[node]} per leaving node (highest index first) when node.count shrinks, then a serial phase
 * {@code node-update} with a step per node that must change, in node order, added nodes last; serial so that at
 * most one node is out of rotation at a time.
 */
public final class UpdatePlans {
    public static final String PLAN = "update";
    public static final String PHASE = "node-update";
    public static final String DECOMMISSION_PHASE = "decommission";

    private final UpdateContext ctx;

    public UpdatePlans(UpdateContext ctx) {
        this.ctx = ctx;
    }

    /** Before the first update: a plan without phases, COMPLETE, so {@code plan status update} answers. */
    public static Plan empty() {
        return new Plan(PLAN, Strategy.SERIAL, List.of());
    }

    public Plan build(UpdateRecord record) {
        List<Step> leaving = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (UpdateRecord.NodeAction node : record.nodes()) {
            StepAction action = switch (node.action()) {
                case ADD -> new NodeStep(node.index(), ctx.pods(), ctx.timeout(), ctx.maxFailures());
                case DECOMMISSION -> new DecommissionStep(node.index(), ctx);
                default -> new NodeUpdateStep(node, ctx, record.to());
            };
            (node.action() == UpdateRecord.Action.DECOMMISSION ? leaving : steps)
                    .add(new Step(NodeStep.stepName(node.index()), action));
        }
        List<Phase> phases = new ArrayList<>();
        if (!leaving.isEmpty()) {
            phases.add(new Phase(DECOMMISSION_PHASE, Strategy.SERIAL, leaving));
        }
        if (!steps.isEmpty()) {
            phases.add(new Phase(PHASE, Strategy.SERIAL, steps));
        }
        return phases.isEmpty() ? empty() : new Plan(PLAN, Strategy.SERIAL, phases);
    }
}
