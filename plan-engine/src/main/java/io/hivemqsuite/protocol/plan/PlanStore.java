package io.hivemqsuite.protocol.plan;

import java.util.Optional;

/** Where plan progress survives a process restart (ZooKeeper in the scheduler). */
public interface PlanStore {
    Optional<PlanState> load(String planName);

    /** Called on every change of a plan, before the change is visible to callers of the plan. */
    void save(PlanState state);
}
