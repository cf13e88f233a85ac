package io.hivemqsuite.protocol.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a service's plans, persists their progress through a {@link PlanStore}, and drives them: a reconcile loop
 * calls {@link #tick} periodically. A plan registered here resumes from the store if the store knows it.
 */
public final class PlanEngine {
    private final PlanStore store;
    private final PlanObserver observer;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    public PlanEngine(PlanStore store) {
        this(store, PlanObserver.NONE);
    }

    /** @param observer told of every plan registered and of every step's own status change (metrics) */
    public PlanEngine(PlanStore store, PlanObserver observer) {
        this.store = store;
        this.observer = observer;
    }

    /** Registers a plan, resuming its stored progress; from now on every change is saved. */
    public synchronized Plan register(Plan plan) {
        if (plans.containsKey(plan.name())) {
            throw new IllegalArgumentException("plan " + plan.name() + " is already registered");
        }
        plan.onChange(store::save);
        plan.observe(observer);
        observer.registered(plan.name());
        store.load(plan.name()).ifPresentOrElse(plan::restore, () -> store.save(plan.snapshot()));
        plans.put(plan.name(), plan);
        order.add(plan.name());
        return plan;
    }

    /**
     * Puts a new plan in the place of the registered one of the same name (or registers it), starting from its own
     * state rather than the stored one: a plan whose phases follow from a request (an update) is rebuilt per request.
     */
    public synchronized Plan replace(Plan plan) {
        plan.onChange(store::save);
        plan.observe(observer);
        observer.registered(plan.name());
        store.save(plan.snapshot());
        if (plans.put(plan.name(), plan) == null) {
            order.add(plan.name());
        }
        return plan;
    }

    public synchronized List<String> names() {
        return List.copyOf(order);
    }

    public Optional<Plan> plan(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    /**
     * Whether a step of any plan runs (launched, waiting for its node): it may end as soon as the world answers, so a
     * reconcile loop may go round faster while this holds. A step keeps running in a plan held by {@code interrupt}
     * (which only stops further steps from starting).
     */
    public boolean underWay() {
        // the steps' own statuses, not a PlanView built for each plan: the scheduler asks this four times a second
        // (a status read a round late only delays the faster pace by that round)
        return names().stream().map(plans::get).flatMap(plan -> plan.phases().stream())
                .flatMap(phase -> phase.steps().stream()).anyMatch(step -> step.status().isRunning());
    }

    /** One round of the reconcile loop over every plan. Answers whether any plan changed. */
    public boolean tick() {
        boolean changed = false;
        for (String name : names()) {
            changed |= plans.get(name).tick();
        }
        return changed;
    }
}
