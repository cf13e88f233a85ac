package io.hivemqsuite.scheduler.plan;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.plan.Progress;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.StepContext;
import io.hivemqsuite.scheduler.pod.Pods;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings one node up: PENDING -> STARTING (agent launched or re-attached) -> STARTED (agent answers) -> COMPLETE
 * (agent reports HEALTHY: every listener accepts connections, and its routing links to every other healthy node are
 * up both ways, {@link RoutingLinks}). ERROR when the agent keeps dying or the node stays
 * unhealthy past the timeout. Used by the deploy plan and by the recovery plan.
 */
public final class NodeStep implements StepAction {
    private final int index;
    private final Pods pods;
    private final Duration timeout;
    private final int maxFailures;
    private int failures;

    public NodeStep(int index, Pods pods, Duration timeout, int maxFailures) {
        this.index = index;
        this.pods = pods;
        this.timeout = timeout;
        this.maxFailures = maxFailures;
    }

    public static String stepName(int index) {
        return PodNames.pod(index) + ":[" + PodNames.TASK_NAME + "]";
    }

    @Override
    public Progress advance(StepContext context) {
        if (context.status() == Status.PENDING || context.status() == Status.PREPARED) {
            return Progress.of(Status.STARTING, pods.ensureRunning(index));
        }
        if (!pods.isRunning(index)) {
            failures++;
            if (failures >= maxFailures) {
                return Progress.of(Status.ERROR, "the node agent exited " + failures + " times; see "
                        + pods.backend().logLocation(index));
            }
            return Progress.of(Status.STARTING, "the node agent exited; " + pods.ensureRunning(index)
                    + " (failure " + failures + " of " + maxFailures + ")");
        }
        Optional<NodeStatus> status = pods.health().status(index);
        long waited = context.millisInStatus(System.currentTimeMillis());
        if (status.isEmpty()) {
            if (waited > timeout.toMillis()) {
                return Progress.of(Status.ERROR, "the node agent did not answer at " + pods.backend().agentUrl(index)
                        + " within " + timeout.toSeconds() + " s; see " + pods.backend().logLocation(index));
            }
            return Progress.of(context.status(), context.status() == Status.STARTING
                    ? "waiting for the node agent at " + pods.backend().agentUrl(index) : context.message());
        }
        NodeStatus node = status.get();
        if (node.healthy()) {
            List<String> links = RoutingLinks.missing(index, pods);
            if (links.isEmpty()) {
                return Progress.of(Status.COMPLETE, "node healthy, routing links up: " + listeners(node));
            }
            if (context.status() == Status.STARTED && waited > timeout.toMillis()) {
                return Progress.of(Status.ERROR, "the node is healthy but these routing links did not come up within "
                        + timeout.toSeconds() + " s: " + String.join(", ", links));
            }
            return Progress.of(Status.STARTED, "node healthy; waiting for routing links " + String.join(", ", links));
        }
        if (context.status() == Status.STARTED && waited > timeout.toMillis()) {
            return Progress.of(Status.ERROR, "the node stayed " + node.state() + " for " + timeout.toSeconds()
                    + " s: " + node.message());
        }
        return Progress.of(Status.STARTED, "node " + node.state() + ": " + node.message());
    }

    @Override
    public Optional<Progress> observe(StepContext context) {
        // Only a live agent that says HEALTHY, with its routing links up, proves the step done; everything else is
        // for advance() to sort out.
        if (pods.isRunning(index) && pods.health().status(index).map(NodeStatus::healthy).orElse(false)
                && RoutingLinks.missing(index, pods).isEmpty()) {
            return Optional.of(Progress.of(Status.COMPLETE, "node healthy, routing links up"));
        }
        return Optional.empty();
    }

    @Override
    public void reset() {
        failures = 0;
    }

    private static String listeners(NodeStatus node) {
        return node.listeners().entrySet().stream()
                .map(e -> e.getKey() + " " + node.address() + ":" + e.getValue().port())
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
