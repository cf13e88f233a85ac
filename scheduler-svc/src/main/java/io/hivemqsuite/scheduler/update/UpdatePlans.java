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
 * Builds the {@code update} plan of an {@link UpdateRecord}: one serial phase {@code node-update} with a step
 * {@code hivemq-<i>:[node]} per node that must change, in node order, added nodes last; serial so that at most one
 * node is out of rotation at a time.
 */
public final class UpdatePlans {
    public static final String PLAN = "update";
    public static final String PHASE = "node-update";

    private final UpdateContext ctx;

    public UpdatePlans(UpdateContext ctx) {
        this.ctx = ctx;
    }

    /** Before the first update: a plan without phases, COMPLETE, so {@code plan status update} answers. */
    public static Plan empty() {
        return new Plan(PLAN, Strategy.SERIAL, List.of());
    }

    public Plan build(UpdateRecord record) {
        List<Step> steps = new ArrayList<>();
        for (UpdateRecord.NodeAction node : record.nodes()) {
            StepAction action = node.action() == UpdateRecord.Action.ADD
                    ? new NodeStep(node.index(), ctx.pods(), ctx.timeout(), ctx.maxFailures())
                    : new NodeUpdateStep(node, ctx);
            steps.add(new Step(NodeStep.stepName(node.index()), action));
        }
        if (steps.isEmpty()) {
            return empty();
        }
        return new Plan(PLAN, Strategy.SERIAL, List.of(new Phase(PHASE, Strategy.SERIAL, steps)));
    }
}
