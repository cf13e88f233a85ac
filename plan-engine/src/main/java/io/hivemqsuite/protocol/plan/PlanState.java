package io.hivemqsuite.protocol.plan;

import java.util.List;
import java.util.Map;

/**
 * The persisted progress of a plan: what a restarted process needs to resume it. Steps are matched by name on
 * restore, so a plan whose shape changed (a node more) keeps the progress of the steps it still has.
 */
public record PlanState(String name, boolean interrupted, Map<String, String> parameters, List<PhaseState> phases) {
    public PlanState {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    public record PhaseState(String name, boolean interrupted, List<StepState> steps) {
        public PhaseState {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    public record StepState(String name, Status status, String message) {
    }
}
