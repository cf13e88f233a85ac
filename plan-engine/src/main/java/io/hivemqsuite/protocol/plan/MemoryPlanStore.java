package io.hivemqsuite.protocol.plan;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A plan store that lives as long as the process: for plans that need not survive a restart, and tests. */
public final class MemoryPlanStore implements PlanStore {
    private final Map<String, PlanState> states = new ConcurrentHashMap<>();

    @Override
    public Optional<PlanState> load(String planName) {
        return Optional.ofNullable(states.get(planName));
    }

    @Override
    public void save(PlanState state) {
        states.put(state.name(), state);
    }
}
