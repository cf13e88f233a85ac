package io.hivemqsuite.scheduler.plan;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.plan.Progress;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.StepContext;
import io.hivemqsuite.scheduler.pod.Pods;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Replaces a node reported as permanently failed, as {@code pod replace} does: its agent and broker are stopped, its
 * folder wiped, and a new agent brings the node up from nothing (it rejoins and catches up on the retained
 * messages); from there on the step is the node's {@link NodeStep}. Only when {@code service.recovery.
 * auto_replace_enabled} is on: otherwise the step stays PENDING and says why, and {@link PermanentFailures} holds
 * its phase WAITING.
 */
final class ReplaceStep implements StepAction {
    /** The node did not answer for the grace period: waiting for it to stop on its own would only add time. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final int index;
    private final Pods pods;
    private final NodeStep node;
    private final Supplier<String> unreachable;

    ReplaceStep(int index, Pods pods, NodeStep node, Supplier<String> unreachable) {
        this.index = index;
        this.pods = pods;
        this.node = node;
        this.unreachable = unreachable;
    }

    static String stepName(int index) {
        return PodNames.pod(index) + ":[replace]";
    }

    @Override
    public Progress advance(StepContext context) {
        if (context.status() == Status.PENDING || context.status() == Status.PREPARED) {
            if (!PermanentFailures.settings(pods).autoReplaceEnabled()) {
                return Progress.of(Status.PENDING, unreachable.get() + "; service.recovery.auto_replace_enabled is "
                        + "off: replace it with `pod replace " + PodNames.pod(index) + "`");
            }
            pods.stop(index, true, STOP_GRACE);
            return Progress.of(Status.STARTING, "replaced with a fresh folder (" + unreachable.get() + "); "
                    + pods.ensureRunning(index));
        }
        return node.advance(context);
    }

    @Override
    public void reset() {
        node.reset();
    }
}
