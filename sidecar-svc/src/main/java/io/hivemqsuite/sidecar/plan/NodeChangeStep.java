package io.hivemqsuite.sidecar.plan;

import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.plan.Progress;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.StepContext;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;
import io.hivemqsuite.sidecar.node.NodeChannels;
import io.hivemqsuite.sidecar.state.SidecarState;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One node's part of a sidecar plan: sends the change as a {@code sidecar-apply} command and asks again (same
 * command id, kept in the state store) until the node answers with its final result. The node restarts its
 * broker when the change needs it and reports COMPLETE only once it is healthy again, so the serial phase moves
 * to the next node only then; a failed change was already undone on the node and the step shows ERROR.
 */
final class NodeChangeStep implements StepAction {
    private static final long ASK_AGAIN_MS = 2_000;

    private final int node;
    private final NodeChannels channels;
    private final SidecarState state;
    private CompletableFuture<CommandResult> answer;
    private String commandId;
    private long askedAt;

    NodeChangeStep(int node, NodeChannels channels, SidecarState state) {
        this.node = node;
        this.channels = channels;
        this.state = state;
    }

    @Override
    public synchronized Progress advance(StepContext context) {
        String run = context.parameters().get(SidecarRuntime.RUN);
        if (run == null) {
            return Progress.of(Status.PENDING, "waiting for the plan to be started");
        }
        if (commandId == null) {
            commandId = state.commandId(context.plan(), context.step(), run);
        }
        long now = System.currentTimeMillis();
        if (answer != null && answer.isDone() && !answer.isCompletedExceptionally()) {
            CommandResult result = answer.join();
            if (!SidecarPlans.RUNNING.equals(result.data().get(SidecarPlans.STATE))) {
                return Progress.of(result.ok() ? Status.COMPLETE : Status.ERROR, result.message());
            }
        }
        if (answer == null || answer.isDone() || now - askedAt >= ASK_AGAIN_MS) {
            if (answer == null || now - askedAt >= ASK_AGAIN_MS) {
                answer = channels.send(node, command(context));
                askedAt = now;
            }
        }
        if (context.status() == Status.PENDING) {
            return Progress.of(Status.STARTING, "sent " + context.plan() + " to node " + node);
        }
        return Progress.of(Status.STARTED, "applying " + context.plan() + " on node " + node
                + (answer.isDone() && !answer.isCompletedExceptionally() ? ": " + answer.join().message() : ""));
    }

    private NodeCommand command(StepContext context) {
        Map<String, String> params = new LinkedHashMap<>(SidecarRuntime.userParameters(context.parameters()));
        params.put(SidecarPlans.PLAN_PARAM, context.plan());
        return new NodeCommand(commandId, SidecarPlans.APPLY_COMMAND, params);
    }

    @Override
    public synchronized void reset() {
        answer = null;
        commandId = null;
    }

    /** Called by the runtime when a step is restarted: the next attempt must be a new command. */
    synchronized void forget(String plan, String step) {
        reset();
        state.forgetCommand(plan, step);
    }
}
