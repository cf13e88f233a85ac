package io.hivemqsuite.scheduler.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.plan.Progress;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.StepContext;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.routing.RoutingCounters;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One leaving node of the {@code update} plan's {@code decommission} phase (node.count shrank; the target no longer
 * has it, but its pod record keeps it a member of every peer table until this step ends):
 * PENDING -> STARTING (drained from the VIPs: no new client lands here) -> STARTED (its persistent sessions handed
 * over to their clients' next homes among the remaining nodes) -> COMPLETE once its router owes its peers nothing
 * (or after {@link #OWED_WAIT_MS}): agent and broker stopped, its data folder released, its pod record removed, which
 * drops it from every router's peer table and from the DNS records. Each stage looks at the world first, so a step
 * resumed after a scheduler restart neither repeats nor skips one.
 */
public final class DecommissionStep implements StepAction {
    static final long OWED_WAIT_MS = 30_000;

    private final int index;
    private final String pod;
    private final UpdateContext ctx;
    private final HandoverClient handover;

    public DecommissionStep(int index, UpdateContext ctx) {
        this.index = index;
        this.pod = PodNames.pod(index);
        this.ctx = ctx;
        this.handover = new HandoverClient(ctx.credential());
    }

    @Override
    public Progress advance(StepContext context) {
        if (!ctx.pods().members().contains(index)) {
            return Progress.of(Status.COMPLETE, pod + " is gone: nothing left to decommission");
        }
        return switch (context.status()) {
            case PENDING, PREPARED -> Progress.of(Status.STARTING, ctx.vip().drainLeaving(pod)
                    + "; handing over its persistent sessions");
            case STARTING -> handOver(context);
            case STARTED -> stopWhenNothingOwed(context);
            default -> Progress.of(context.status(), context.message());
        };
    }

    private Progress handOver(StepContext context) {
        if (!ctx.pods().isRunning(index)) {
            return Progress.of(Status.STARTED, "the node agent is not running: no session to hand over");
        }
        PeerTable remaining = remaining();
        try {
            JsonNode answer = handover.handOver(ctx.pods().backend().agentUrl(index), remaining);
            if (answer.path("failed").size() > 0) {
                return retryOrFail(context, "handover of " + answer.path("failed").size() + " sessions failed: "
                        + answer.path("failed"));
            }
            return Progress.of(Status.STARTED, "drained; handed over " + answer.path("sessions").asInt()
                    + " persistent sessions (" + answer.path("subscriptions").asInt() + " subscriptions) to "
                    + remaining.nodes().keySet().stream().map(PodNames::pod).toList()
                    + "; waiting until it owes its peers nothing");
        } catch (IllegalStateException e) {
            return retryOrFail(context, "session handover not done: " + e.getMessage());
        }
    }

    private Progress retryOrFail(StepContext context, String problem) {
        if (context.millisInStatus(System.currentTimeMillis()) > ctx.timeout().toMillis()) {
            return Progress.of(Status.ERROR, problem + " (gave up after " + ctx.timeout().toSeconds()
                    + " s; the node still runs, drained)");
        }
        return Progress.of(Status.STARTING, problem + "; retrying");
    }

    private Progress stopWhenNothingOwed(StepContext context) {
        long owed = owed(ctx.pods().health().status(index));
        long waited = context.millisInStatus(System.currentTimeMillis());
        if (owed > 0 && waited < OWED_WAIT_MS && ctx.pods().isRunning(index)) {
            return Progress.of(Status.STARTED, handedOverPart(context.message()) + "; its router still owes " + owed
                    + " messages to its peers");
        }
        long stopping = System.currentTimeMillis();
        ctx.pods().stop(index, true);
        long stopMs = System.currentTimeMillis() - stopping;
        ctx.pods().forget(index);
        return Progress.of(Status.COMPLETE, handedOverPart(context.message()) + "; "
                + (owed > 0 ? "stopped with " + owed + " routed messages still owed after " + waited / 1000 + " s"
                : "stopped owing nothing") + " in " + stopMs + " ms; data folder released; removed from the peer "
                + "tables and DNS");
    }

    private static String handedOverPart(String message) {
        int cut = message.indexOf("; waiting");
        cut = cut < 0 ? message.indexOf("; its router") : cut;
        return cut < 0 ? message : message.substring(0, cut);
    }

    /** Queued and journaled messages the leaving node's router has not delivered to its peers; 0 when unknown. */
    private static long owed(Optional<NodeStatus> status) {
        RoutingCounters routing = status.map(NodeStatus::routing).orElse(null);
        if (routing == null) {
            return 0;
        }
        long queued = routing.peers().values().stream().mapToLong(RoutingCounters.Peer::queued).sum();
        return queued + Math.max(0, routing.journalOwed());
    }

    /** The target's nodes (other leaving nodes excluded): where this node's clients will be sent next. */
    private PeerTable remaining() {
        Map<Integer, String> nodes = new TreeMap<>(ctx.membership().target().nodes());
        nodes.keySet().removeIf(i -> i >= ctx.pods().count());
        return new PeerTable(nodes);
    }
}
