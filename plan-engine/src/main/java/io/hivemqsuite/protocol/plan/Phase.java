package io.hivemqsuite.protocol.plan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An ordered group of steps with its own strategy. Mutated only by its {@link Plan}, under the plan's lock. */
public final class Phase {
    private final String name;
    private final Strategy strategy;
    private final List<Step> steps;
    private String id;
    private boolean interrupted;

    public Phase(String name, Strategy strategy, List<Step> steps) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("phase name must not be empty");
        }
        this.name = name;
        this.strategy = strategy;
        this.steps = new ArrayList<>(steps);
        long distinct = steps.stream().map(Step::name).distinct().count();
        if (distinct != steps.size()) {
            throw new IllegalArgumentException("step names must be unique within phase " + name);
        }
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    public Strategy strategy() {
        return strategy;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public boolean interrupted() {
        return interrupted;
    }

    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName) || stepName.equals(s.id())).findFirst();
    }

    void assignIds(String planName) {
        id = UUID.nameUUIDFromBytes((planName + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        steps.forEach(s -> s.assignId(planName, name));
    }

    boolean setInterrupted(boolean value) {
        boolean changed = interrupted != value;
        interrupted = value;
        return changed;
    }

    /** A PENDING step of an interrupted phase or plan shows WAITING: it will not start until continued. */
    Status stepStatus(Step step, boolean planInterrupted) {
        if (step.status() == Status.PENDING && (interrupted || planInterrupted)) {
            return Status.WAITING;
        }
        return step.status();
    }

    Status status(boolean planInterrupted) {
        List<Status> children = steps.stream().map(s -> stepStatus(s, planInterrupted)).toList();
        return Plan.aggregate(children, interrupted || planInterrupted);
    }
}
