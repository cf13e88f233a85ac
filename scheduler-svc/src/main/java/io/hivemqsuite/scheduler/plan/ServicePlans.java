package io.hivemqsuite.scheduler.plan;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.plan.Phase;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanEngine;
import io.hivemqsuite.protocol.plan.PlanObserver;
import io.hivemqsuite.protocol.plan.PlanState;
import io.hivemqsuite.protocol.plan.PlanStore;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.Step;
import io.hivemqsuite.protocol.plan.Strategy;
import io.hivemqsuite.scheduler.pod.Pods;
import io.hivemqsuite.scheduler.state.PodRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler's plans: {@code deploy} (phase {@code node-deploy}, one step per node) and {@code recovery} (one
 * phase per pod that had to be relaunched, added when its agent is found dead), on one plan engine whose progress
 * lives in the state store.
 */
public final class ServicePlans {
    public static final String DEPLOY = "deploy";
    public static final String RECOVERY = "recovery";
    public static final String DEPLOY_PHASE = "node-deploy";

    private final Pods pods;
    private final Duration timeout;
    private final int maxFailures;
    private final PlanEngine engine;
    private final Plan deploy;
    private final Plan recovery;
    private final PermanentFailures permanentFailures;

    public ServicePlans(Pods pods, PlanStore store, Strategy deployStrategy, Duration timeout, int maxFailures,
                        PlanObserver observer) {
        this.pods = pods;
        this.timeout = timeout;
        this.maxFailures = maxFailures;
        this.engine = new PlanEngine(store, observer);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < pods.count(); i++) {
            steps.add(nodeStep(i));
        }
        deploy = engine.register(new Plan(DEPLOY, Strategy.SERIAL,
                List.of(new Phase(DEPLOY_PHASE, deployStrategy, steps))));
        // The recovery plan's phases come and go with failures: re-create those the store remembers before resuming.
        List<Phase> recoveryPhases = new ArrayList<>();
        store.load(RECOVERY).map(PlanState::phases).orElse(List.of()).forEach(phase -> {
            int index = PodNames.indexOf(phase.name());
            if (index >= 0 && index < pods.count()) {
                recoveryPhases.add(recoveryPhase(index));
            }
            int replaced = PermanentFailures.indexOf(phase.name());
            if (replaced >= 0 && replaced < pods.count()) {
                recoveryPhases.add(replacePhase(replaced));
            }
        });
        recovery = engine.register(new Plan(RECOVERY, Strategy.PARALLEL, recoveryPhases));
        permanentFailures = new PermanentFailures(pods, recovery, index -> deployed(index) && !updateInFlight());
    }

    private Step nodeStep(int index) {
        return new Step(NodeStep.stepName(index), new NodeStep(index, pods, timeout, maxFailures));
    }

    private Phase replacePhase(int index) {
        return PermanentFailures.phase(index, pods, new NodeStep(index, pods, timeout, maxFailures));
    }

    private Phase recoveryPhase(int index) {
        return new Phase(PodNames.pod(index), Strategy.SERIAL, List.of(nodeStep(index)));
    }

    public PlanEngine engine() {
        return engine;
    }

    public Optional<Plan> plan(String name) {
        return engine.plan(name);
    }

    public List<String> names() {
        return engine.names();
    }

    /** Whether a step of a plan runs (the reconcile loop goes round faster then). */
    public boolean underWay() {
        return engine.underWay();
    }

    /** One round of the reconcile loop: progress every plan, then look for agents that died or nodes long gone. */
    public void tick() {
        engine.tick();
        detectFailures();
        permanentFailures.check(this::replacePhase);
    }

    private boolean deployed(int index) {
        Optional<Step> step = deploy.phase(DEPLOY_PHASE).flatMap(p -> p.step(NodeStep.stepName(index)));
        if (step.isPresent()) {
            return step.get().status() == Status.COMPLETE;
        }
        // A node added by an update is deployed by the update plan's step of the same name.
        return engine.plan("update").flatMap(p -> p.phases().stream().findFirst())
                .flatMap(p -> p.step(NodeStep.stepName(index)))
                .map(s -> s.status() == Status.COMPLETE).orElse(false);
    }

    /**
     * An update plan that has not ended (running, or held WAITING mid-roll) owns the nodes: its restart steps take
     * brokers down on purpose, and a short grace period with automatic replacement must not wipe a node it is rolling.
     */
    private boolean updateInFlight() {
        return engine.plan("update").map(p -> !p.view().status().isTerminal()).orElse(false);
    }

    private boolean recovering(int index) {
        return recovery.phase(PodNames.pod(index)).map(p -> {
            Status s = recovery.view().phases().stream().filter(v -> v.name().equals(p.name())).findFirst()
                    .map(v -> v.status()).orElse(Status.COMPLETE);
            return s != Status.COMPLETE;
        }).orElse(false);
    }

    /**
     * A deployed pod whose agent is gone gets a recovery phase. Before deploy finished, the deploy step itself
     * relaunches; a pod the scheduler stopped on purpose (KILLED) is not "failed".
     */
    void detectFailures() {
        for (int i = 0; i < pods.count(); i++) {
            PodRecord record = pods.record(i);
            boolean expectedUp = record.state() == PodRecord.PodState.RUNNING
                    || record.state() == PodRecord.PodState.FAILED;
            if (expectedUp && deployed(i) && !recovering(i) && !pods.isRunning(i)) {
                pods.markFailed(i);
                recover(i);
            }
        }
    }

    /** Starts (or restarts) the recovery phase of pod i. */
    private void recover(int index) {
        String phase = PodNames.pod(index);
        if (recovery.phase(phase).isPresent()) {
            recovery.restart(phase, null);
        } else {
            recovery.addPhase(recoveryPhase(index));
        }
    }

    /**
     * {@code pod restart} / {@code pod replace}: the agent is stopped (and the node folder wiped for replace), then
     * brought back by the plan that owns the pod now: deploy while it has not finished it, recovery after.
     */
    public void relaunch(int index, boolean wipe) {
        pods.stop(index, wipe);
        if (deployed(index)) {
            recover(index);
        } else {
            deploy.restart(DEPLOY_PHASE, NodeStep.stepName(index));
        }
    }
}
