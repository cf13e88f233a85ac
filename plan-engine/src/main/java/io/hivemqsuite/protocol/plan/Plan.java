package io.hivemqsuite.protocol.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A plan in the dcos-commons model: phases of steps, each level with a strategy, driven by {@link #tick} from a
 * reconcile loop. Every operation and every tick runs under the plan's lock, and every change is handed to the
 * change listener (the store) before the method returns, so what a user reads has been persisted.
 */
public final class Plan {
    private final String name;
    private final Strategy strategy;
    private final List<Phase> phases;
    private final LongSupplier clock;
    private boolean interrupted;
    private Map<String, String> parameters = Map.of();
    private Consumer<PlanState> changeListener = state -> { };
    private PlanObserver observer = PlanObserver.NONE;

    public Plan(String name, Strategy strategy, List<Phase> phases) {
        this(name, strategy, phases, System::currentTimeMillis);
    }

    public Plan(String name, Strategy strategy, List<Phase> phases, LongSupplier clock) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("plan name must not be empty");
        }
        this.name = name;
        this.strategy = strategy;
        this.phases = new ArrayList<>();
        this.clock = clock;
        phases.forEach(this::addPhaseQuietly);
    }

    public String name() {
        return name;
    }

    public Strategy strategy() {
        return strategy;
    }

    public synchronized List<Phase> phases() {
        return List.copyOf(phases);
    }

    public synchronized Map<String, String> parameters() {
        return parameters;
    }

    public synchronized boolean interrupted() {
        return interrupted;
    }

    synchronized void onChange(Consumer<PlanState> listener) {
        this.changeListener = listener;
    }

    synchronized void observe(PlanObserver planObserver) {
        this.observer = planObserver;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    public synchronized Status status() {
        List<Status> children = phases.stream().map(p -> p.status(interrupted)).toList();
        return aggregate(children, interrupted);
    }

    public synchronized boolean isComplete() {
        return status() == Status.COMPLETE;
    }

    public synchronized Optional<Phase> phase(String phaseNameOrId) {
        return phases.stream().filter(p -> p.name().equals(phaseNameOrId) || phaseNameOrId.equals(p.id())).findFirst();
    }

    public synchronized PlanView view() {
        List<PlanView.PhaseView> phaseViews = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Phase phase : phases) {
            List<PlanView.StepView> stepViews = new ArrayList<>();
            for (Step step : phase.steps()) {
                Status s = phase.stepStatus(step, interrupted);
                stepViews.add(new PlanView.StepView(step.id(), step.name(), s, step.message()));
                if (s == Status.ERROR) {
                    errors.add(phase.name() + "/" + step.name() + ": " + step.message());
                }
            }
            phaseViews.add(new PlanView.PhaseView(phase.id(), phase.name(), stepViews, phase.status(interrupted),
                    phase.strategy().jsonName()));
        }
        return new PlanView(name, phaseViews, errors, status(), strategy.jsonName());
    }

    public synchronized PlanState snapshot() {
        List<PlanState.PhaseState> phaseStates = new ArrayList<>();
        for (Phase phase : phases) {
            List<PlanState.StepState> stepStates = phase.steps().stream()
                    .map(s -> new PlanState.StepState(s.name(), s.status(), s.message())).toList();
            phaseStates.add(new PlanState.PhaseState(phase.name(), phase.interrupted(), stepStates));
        }
        return new PlanState(name, interrupted, parameters, phaseStates);
    }

    // ---- driving -------------------------------------------------------------------------------------------

    /** Asks every eligible step to make progress once. Answers whether anything changed. */
    public synchronized boolean tick() {
        boolean changed = false;
        // A phase in ERROR still drives its other steps (its own strategy decides); under a serial plan it keeps the
        // phases after it waiting, because it is the first unfinished one.
        for (Phase phase : strategy.eligible(phases, p -> p.status(interrupted) == Status.ERROR
                ? Status.IN_PROGRESS : p.status(interrupted))) {
            for (Step step : phase.strategy().eligible(phase.steps(), Step::status)) {
                if (step.status() == Status.PENDING && (interrupted || phase.interrupted())) {
                    // An interrupt holds back what has not started; what runs is left to finish.
                    continue;
                }
                changed |= advance(phase, step);
            }
        }
        if (changed) {
            changed();
        }
        return changed;
    }

    private boolean advance(Phase phase, Step step) {
        long now = clock.getAsLong();
        Progress progress;
        try {
            progress = step.action().advance(context(phase, step));
        } catch (RuntimeException e) {
            // A failing action must not stop the loop for every other step: its step shows why instead.
            progress = Progress.of(Status.ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        Status before = step.status();
        if (progress == null || !step.update(progress.status(), progress.message(), now)) {
            return false;
        }
        if (progress.status() != before) {
            // only the step's own progress: forceComplete and restart are an operator's word, not a run
            observer.stepChanged(name, phase.name(), step.name(), before, progress.status(), now - step.startedMs());
        }
        return true;
    }

    private StepContext context(Phase phase, Step step) {
        return new StepContext(name, phase.name(), step.name(), step.status(), step.message(), step.statusSinceMs(),
                parameters);
    }

    // ---- operations (the plan REST verbs) -----------------------------------------------------------------

    /** {@code start}: runs the plan with these parameters; a finished plan runs again from PENDING. */
    public synchronized void start(Map<String, String> newParameters) {
        Status before = status();
        parameters = newParameters == null ? Map.of() : Map.copyOf(newParameters);
        if (before == Status.COMPLETE || before == Status.ERROR) {
            restartAll();
        }
        interrupted = false;
        phases.forEach(p -> p.setInterrupted(false));
        changed();
    }

    /** {@code stop}: interrupts the plan and puts every step back to PENDING. */
    public synchronized void stop() {
        interrupted = true;
        restartAll();
        changed();
    }

    /** {@code interrupt}: no further step starts until {@link #proceed}; running steps finish. */
    public synchronized void interrupt(String phaseName) {
        if (phaseName == null || phaseName.isBlank()) {
            interrupted = true;
        } else {
            requirePhase(phaseName).setInterrupted(true);
        }
        changed();
    }

    /** {@code continue}. */
    public synchronized void proceed(String phaseName) {
        if (phaseName == null || phaseName.isBlank()) {
            interrupted = false;
            phases.forEach(p -> p.setInterrupted(false));
        } else {
            requirePhase(phaseName).setInterrupted(false);
        }
        changed();
    }

    /** {@code forceComplete}: marks a step, a phase or (without arguments) the whole plan COMPLETE. */
    public synchronized void forceComplete(String phaseName, String stepName) {
        long now = clock.getAsLong();
        for (Step step : select(phaseName, stepName)) {
            step.update(Status.COMPLETE, "forced complete", now);
        }
        changed();
    }

    /** {@code restart}: puts a step, a phase or (without arguments) the whole plan back to PENDING. */
    public synchronized void restart(String phaseName, String stepName) {
        long now = clock.getAsLong();
        for (Step step : select(phaseName, stepName)) {
            step.restart(now);
        }
        changed();
    }

    /** Adds a phase at run time (a recovery plan gets one per failed pod). */
    public synchronized Phase addPhase(Phase phase) {
        addPhaseQuietly(phase);
        changed();
        return phase;
    }

    private void addPhaseQuietly(Phase phase) {
        if (phases.stream().anyMatch(p -> p.name().equals(phase.name()))) {
            throw new IllegalArgumentException("plan " + name + " already has a phase " + phase.name());
        }
        phase.assignIds(name);
        phases.add(phase);
    }

    /**
     * Takes stored progress over: statuses, messages, interrupts and parameters by name; then lets each step that
     * is not COMPLETE look at the world, so work done while no process watched is not redone.
     */
    public synchronized void restore(PlanState state) {
        long now = clock.getAsLong();
        interrupted = state.interrupted();
        parameters = state.parameters();
        for (PlanState.PhaseState phaseState : state.phases()) {
            Optional<Phase> phase = phases.stream().filter(p -> p.name().equals(phaseState.name())).findFirst();
            if (phase.isEmpty()) {
                continue;
            }
            phase.get().setInterrupted(phaseState.interrupted());
            for (PlanState.StepState stepState : phaseState.steps()) {
                phase.get().steps().stream().filter(s -> s.name().equals(stepState.name())).findFirst()
                        .ifPresent(step -> step.update(stepState.status(), stepState.message(), now));
            }
        }
        for (Phase phase : phases) {
            for (Step step : phase.steps()) {
                if (step.status() == Status.COMPLETE) {
                    continue;
                }
                try {
                    step.action().observe(context(phase, step))
                            .ifPresent(p -> step.update(p.status(), p.message(), now));
                } catch (RuntimeException e) {
                    // Observing is a shortcut; when it fails, advance() will find out the slow way.
                }
            }
        }
        changed();
    }

    private List<Step> select(String phaseName, String stepName) {
        boolean noPhase = phaseName == null || phaseName.isBlank();
        boolean noStep = stepName == null || stepName.isBlank();
        if (noPhase && !noStep) {
            throw new PlanRequestException("phase", "a step is named but no phase: give phase=<name> too");
        }
        if (noPhase) {
            return phases.stream().flatMap(p -> p.steps().stream()).toList();
        }
        Phase phase = requirePhase(phaseName);
        if (noStep) {
            return phase.steps();
        }
        return List.of(phase.step(stepName).orElseThrow(() -> new PlanRequestException("step",
                "phase " + phase.name() + " of plan " + name + " has no step '" + stepName + "'; it has "
                        + phase.steps().stream().map(Step::name).toList())));
    }

    private Phase requirePhase(String phaseName) {
        return phase(phaseName).orElseThrow(() -> new PlanRequestException("phase",
                "plan " + name + " has no phase '" + phaseName + "'; it has "
                        + phases.stream().map(Phase::name).toList()));
    }

    private void restartAll() {
        long now = clock.getAsLong();
        phases.forEach(p -> p.steps().forEach(s -> s.restart(now)));
    }

    private void changed() {
        changeListener.accept(snapshot());
    }

    /** The status of a plan or phase from its children's, as dcos-commons aggregates it. */
    static Status aggregate(List<Status> children, boolean interrupted) {
        if (children.stream().anyMatch(s -> s == Status.ERROR)) {
            return Status.ERROR;
        }
        if (children.stream().allMatch(s -> s == Status.COMPLETE)) {
            return Status.COMPLETE;
        }
        if (interrupted) {
            return Status.WAITING;
        }
        if (children.stream().anyMatch(Status::isRunning)) {
            return Status.IN_PROGRESS;
        }
        boolean anyComplete = children.contains(Status.COMPLETE);
        boolean anyWaiting = children.contains(Status.WAITING);
        boolean anyPending = children.contains(Status.PENDING);
        if (anyComplete) {
            return Status.IN_PROGRESS;
        }
        if (anyWaiting && !anyPending) {
            return Status.WAITING;
        }
        return anyWaiting ? Status.IN_PROGRESS : Status.PENDING;
    }
}
