package io.hivemqsuite.scheduler.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.plan.Progress;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.StepAction;
import io.hivemqsuite.protocol.plan.StepContext;
import io.hivemqsuite.scheduler.plan.RoutingLinks;
import io.hivemqsuite.scheduler.tls.IssuedCertificate;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One node of the {@code update} plan.
 *
 * <p>RESTART: PENDING -> STARTING (drained from the VIPs so no new client lands here, its connected clients moved
 * to their next nodes while its broker still runs, so a persistent session is not left offline for the restart,
 * agent and broker stopped,
 * agent relaunched on the new spec, which it renders into a new config.xml) -> STARTED (agent answers)
 * -> COMPLETE once the node is HEALTHY with exactly the new spec's listeners accepting connections, then undrained.
 * The message of the finished step says how long the node was out of rotation and how long its restart took.
 *
 * <p>USERS: the new {@code mqtt.auth.rbac_config} / {@code rbac_extension_config} are pushed to the running agent
 * ({@code PUT /v1/node/rbac}); the broker extension reads them within a second, the broker keeps running.
 *
 * <p>CERTIFICATES: a new certificate from the (new) CA is pushed to the running agent, which swaps the keystore in
 * place; the broker keeps running.
 */
public final class NodeUpdateStep implements StepAction {
    private final int index;
    private final String pod;
    private final UpdateRecord.Action action;
    private final List<String> reasons;
    private final UpdateContext ctx;
    private final HandoverClient handover;
    private final String target;
    private long drainedAt;
    private long launchedAt;
    private long stopMs;
    private int failures;

    /** @param target the new target (completed options JSON): what a USERS step pushes */
    public NodeUpdateStep(UpdateRecord.NodeAction node, UpdateContext ctx, String target) {
        this.target = target;
        this.index = node.index();
        this.pod = PodNames.pod(node.index());
        this.action = node.action();
        this.reasons = node.reasons();
        this.ctx = ctx;
        this.handover = new HandoverClient(ctx.credential());
    }

    @Override
    public Progress advance(StepContext context) {
        return switch (action) {
            case CERTIFICATES -> certificates();
            case USERS -> users();
            default -> restart(context);
        };
    }

    /** New users and roles for the running broker: the agent writes them, the extension reads them within a second. */
    private Progress users() {
        com.fasterxml.jackson.databind.JsonNode auth;
        try {
            auth = ControlJson.mapper().readTree(target).path("mqtt").path("auth");
        } catch (java.io.IOException e) {
            return Progress.of(Status.ERROR, "the update's target is not readable: " + e.getMessage());
        }
        String problem = ctx.agentTls().pushUsers(ctx.pods().backend().agentUrl(index),
                auth.path("rbac_config").asText(""), auth.path("rbac_extension_config").asText(""));
        if (problem != null) {
            return Progress.of(Status.ERROR, "new users and roles not installed: " + problem);
        }
        return Progress.of(Status.COMPLETE, "users and roles replaced in place (" + reasons() + "), no restart");
    }

    private Progress certificates() {
        ServiceOptions spec = ctx.pods().spec();
        if (!spec.tlsEnabled()) {
            return Progress.of(Status.COMPLETE, "no TLS listener: nothing to reissue");
        }
        IssuedCertificate issued = ctx.certificates().issue(spec, index);
        String problem = ctx.agentTls().push(ctx.pods().backend().agentUrl(index), issued);
        if (problem != null) {
            return Progress.of(Status.ERROR, "new certificate not installed: " + problem);
        }
        return Progress.of(Status.COMPLETE, "certificate " + issued.serialHex() + " installed in place, no restart");
    }

    private Progress restart(StepContext context) {
        long now = System.currentTimeMillis();
        switch (context.status()) {
            case PENDING -> {
                // Drained, emptied and relaunched in one go: out of rotation for no longer than it must be.
                drainedAt = now;
                String drained = ctx.vip().drainForMove(pod);
                return relaunch(drained + "; " + moveClients() + "; relaunched with the new configuration ("
                        + reasons() + ")");
            }
            case PREPARED -> {
                if (drainedAt == 0) {
                    drainedAt = context.statusSinceMs();
                }
                return relaunch("relaunched with the new configuration (" + reasons() + ")");
            }
            case STARTING, STARTED -> {
                return await(context, now);
            }
            default -> {
                return Progress.of(context.status(), context.message());
            }
        }
    }

    /**
     * Without the move, a persistent subscriber of this node is offline for the whole restart (the VIP holds it for
     * its home) and its queue must hold everything published meanwhile; moved, it is back within a reconnect.
     */
    private String moveClients() {
        if (!ctx.pods().isRunning(index)) {
            return "no client to move (the node agent is not running)";
        }
        try {
            JsonNode moved = handover.moveClients(ctx.pods().backend().agentUrl(index));
            return "moved " + moved.path("moved").asInt() + " clients with a persistent session to other nodes"
                    + (moved.path("stillHere").asInt() > 0 ? " (" + moved.path("stillHere").asInt()
                    + " still here)" : "");
        } catch (IllegalStateException e) {
            return "clients not moved (" + e.getMessage() + ")";
        }
    }

    private Progress relaunch(String message) {
        long stopping = System.currentTimeMillis();
        ctx.pods().stop(index, false);
        launchedAt = System.currentTimeMillis();
        stopMs = launchedAt - stopping;
        return Progress.of(Status.STARTING, message + ": " + ctx.pods().ensureRunning(index));
    }

    private Progress await(StepContext context, long now) {
        if (launchedAt == 0) {
            // resumed after a scheduler restart: time from when the step's status was persisted
            launchedAt = context.statusSinceMs();
        }
        if (drainedAt == 0) {
            drainedAt = launchedAt;
        }
        if (!ctx.pods().isRunning(index)) {
            failures++;
            if (failures >= ctx.maxFailures()) {
                ctx.vip().undrain(pod);
                return Progress.of(Status.ERROR, "the node agent exited " + failures + " times; see "
                        + ctx.pods().backend().logLocation(index));
            }
            return Progress.of(Status.STARTING, "the node agent exited; " + ctx.pods().ensureRunning(index));
        }
        var status = ctx.pods().health().status(index);
        // Routing links up both ways too: the next node goes down only once this one is part of the cluster again.
        if (status.isPresent() && serves(status.get(), ctx.pods().spec())
                && RoutingLinks.missing(index, ctx.pods()).isEmpty()) {
            long restart = now - launchedAt;
            String undrain = ctx.vip().undrain(pod);
            long outOfRotation = System.currentTimeMillis() - drainedAt;
            return Progress.of(Status.COMPLETE, "stopped in " + stopMs + " ms, restarted with the new configuration in "
                    + restart + " ms; out of VIP rotation " + outOfRotation + " ms; " + undrain + "; listeners "
                    + listeners(status.get()));
        }
        if (now - launchedAt > ctx.timeout().toMillis()) {
            ctx.vip().undrain(pod);
            return Progress.of(Status.ERROR, "the node did not become healthy with the new configuration within "
                    + ctx.timeout().toSeconds() + " s: " + status.map(s -> s.state() + " " + s.message())
                    .orElse("no answer from its agent"));
        }
        return Progress.of(status.isPresent() ? Status.STARTED : Status.STARTING, status
                .map(s -> "node " + s.state() + ": " + s.message())
                .orElse("waiting for the node agent at " + ctx.pods().backend().agentUrl(index)));
    }

    /** HEALTHY on the new spec's release, and every listener of the new spec (and no other) accepts connections. */
    static boolean serves(NodeStatus status, ServiceOptions spec) {
        if (!status.healthy() || !Objects.equals(spec.hivemq().version(), status.brokerVersion())) {
            return false;
        }
        Set<String> wanted = spec.enabledListeners().stream().map(l -> l.listener().endpointName())
                .collect(Collectors.toSet());
        return status.listeners().keySet().equals(wanted)
                && status.listeners().entrySet().stream().allMatch(e -> e.getValue().accepting()
                && spec.enabledListeners().stream().anyMatch(l -> l.listener().endpointName().equals(e.getKey())
                && l.port() == e.getValue().port()));
    }

    private String reasons() {
        return String.join(", ", reasons);
    }

    private static String listeners(NodeStatus node) {
        return node.listeners().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().port()).sorted()
                .collect(Collectors.joining(", "));
    }

    @Override
    public void reset() {
        drainedAt = 0;
        launchedAt = 0;
        stopMs = 0;
        failures = 0;
    }
}
