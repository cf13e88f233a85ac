package io.hivemqsuite.scheduler.plan;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.plan.Phase;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.Step;
import io.hivemqsuite.protocol.plan.Strategy;
import io.hivemqsuite.scheduler.pod.Pods;
import io.hivemqsuite.scheduler.state.PodRecord;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * A deployed node that stays unreachable (no live agent, an agent that does not answer, or a broker that is not
 * healthy) for longer than {@code service.recovery.grace_period_secs} gets a {@code replace-hivemq-<i>} phase in the
 * recovery plan. Its {@link ReplaceStep} replaces the node when {@code service.recovery.auto_replace_enabled} is on;
 * otherwise the phase is held WAITING, with the reason in the step's message, until the option is turned on or the
 * node is reachable again (by itself or after {@code pod replace}), which completes the phase. The clock lives in
 * this process: a restarted scheduler gives every node a new grace period.
 */
final class PermanentFailures {
    private static final String PREFIX = "replace-";

    private final Pods pods;
    private final Plan recovery;
    private final IntPredicate deployed;
    private final Map<Integer, Long> unreachableSince = new ConcurrentHashMap<>();

    PermanentFailures(Pods pods, Plan recovery, IntPredicate deployed) {
        this.pods = pods;
        this.recovery = recovery;
        this.deployed = deployed;
    }

    static String phaseName(int index) {
        return PREFIX + PodNames.pod(index);
    }

    /** The node of a stored phase of this kind, or -1 when the phase is another kind. */
    static int indexOf(String phaseName) {
        return phaseName.startsWith(PREFIX) ? PodNames.indexOf(phaseName.substring(PREFIX.length())) : -1;
    }

    static Phase phase(int index, Pods pods, NodeStep node) {
        return new Phase(phaseName(index), Strategy.SERIAL, List.of(new Step(ReplaceStep.stepName(index),
                new ReplaceStep(index, pods, node, () -> reason(index, pods)))));
    }

    /** One round: open, hold, release or close the replace phase of every node. */
    void check(IntFunction<Phase> newPhase) {
        long now = System.currentTimeMillis();
        long grace = settings(pods).gracePeriodSecs() * 1000L;
        boolean auto = settings(pods).autoReplaceEnabled();
        for (int i = 0; i < pods.count(); i++) {
            String name = phaseName(i);
            Optional<Phase> phase = recovery.phase(name);
            Status step = phase.map(p -> p.steps().get(0).status()).orElse(Status.COMPLETE);
            if (step.isRunning() || !watched(i) || reachable(i)) {
                unreachableSince.remove(i);
                if (step == Status.PENDING && reachable(i)) {
                    recovery.forceComplete(name, null); // reachable again (or replaced by hand): nothing to do
                }
                continue;
            }
            long since = unreachableSince.computeIfAbsent(i, k -> now);
            if (now - since < grace) {
                continue;
            }
            if (phase.isEmpty()) {
                phase = Optional.of(recovery.addPhase(newPhase.apply(i)));
            } else if (step.isTerminal()) {
                recovery.restart(name, null);
                recovery.proceed(name); // the step runs once to say why it waits (or to replace)
            }
            Phase live = phase.get();
            if (auto && live.interrupted()) {
                recovery.proceed(name);
            } else if (!auto && !live.interrupted() && !live.steps().get(0).message().isEmpty()) {
                // the step has said why it waits: hold the phase, so plan status shows it WAITING
                recovery.interrupt(name);
            }
        }
    }

    /** {@code service.recovery}; a target stored by a scheduler before the option existed has its defaults. */
    static ServiceOptions.Recovery settings(Pods pods) {
        ServiceOptions.Recovery recovery = pods.spec().service().recovery();
        return recovery != null ? recovery : new ServiceOptions.Recovery(600, false);
    }

    /** A node the scheduler means to be up and that has finished its deploy (or scale-out) step. */
    private boolean watched(int index) {
        PodRecord.PodState state = pods.record(index).state();
        return deployed.test(index) && (state == PodRecord.PodState.RUNNING || state == PodRecord.PodState.FAILED);
    }

    private boolean reachable(int index) {
        return pods.isRunning(index) && pods.health().status(index).map(NodeStatus::healthy).orElse(false);
    }

    private static String reason(int index, Pods pods) {
        String what = !pods.isRunning(index) ? "no node agent runs"
                : pods.health().status(index).map(s -> "the node is " + s.state() + ": " + s.message())
                .orElse("the node agent does not answer");
        return PodNames.pod(index) + " unreachable for longer than its grace period of "
                + settings(pods).gracePeriodSecs() + " s (" + what + ")";
    }
}
