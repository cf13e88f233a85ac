package io.hivemqsuite.protocol.plan;

/**
 * Told what plans a {@link PlanEngine} runs and how their steps move, for metrics ({@link PlanMeters}). Called under
 * the plan's lock: an observer only records.
 */
public interface PlanObserver {
    PlanObserver NONE = new PlanObserver() {
    };

    /** A plan was registered (or replaced by a new one of the same name). */
    default void registered(String plan) {
    }

    /**
     * A step changed its status through its own progress.
     *
     * @param millisSinceStart milliseconds since the step last left PENDING (or since the plan was resumed)
     */
    default void stepChanged(String plan, String phase, String step, Status from, Status to, long millisSinceStart) {
    }
}
