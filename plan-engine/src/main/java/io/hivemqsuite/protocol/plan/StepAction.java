package io.hivemqsuite.protocol.plan;

import java.util.Optional;

/**
 * The work behind one step. The engine calls {@link #advance} on every tick while the step is eligible,
 * so an action is written as "look at the world, do the next thing, say where we are" and must be
 * idempotent: after a process restart it is called again from the persisted status.
 */
public interface StepAction {

    /** Make progress from the context's status; answers the new status and message. Must not block long. */
    Progress advance(StepContext context);

    /**
     * The status the world shows for this step, when it can tell (a node already healthy: COMPLETE). Asked when a
     * plan is resumed from the store, so a step does not redo what is already done. Empty: keep the stored status.
     */
    default Optional<Progress> observe(StepContext context) {
        return Optional.empty();
    }

    /** Forget in-memory progress (attempt counters, timers): the step was restarted from PENDING. */
    default void reset() {
    }
}
