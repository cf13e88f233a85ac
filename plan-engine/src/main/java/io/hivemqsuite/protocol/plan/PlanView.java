package io.hivemqsuite.protocol.plan;

import java.util.List;

/**
 * A plan as {@code GET /v1/plans/{plan}} shows it, in the dcos-commons shape:
 * {@code {"phases":[...], "errors":[...], "status":"IN_PROGRESS", "strategy":"serial"}}.
 * Also what the CLI reads back, so both ends share one definition.
 */
public record PlanView(String name, List<PhaseView> phases, List<String> errors, Status status, String strategy) {
    public PlanView {
        phases = List.copyOf(phases);
        errors = List.copyOf(errors);
    }

    public record PhaseView(String id, String name, List<StepView> steps, Status status, String strategy) {
        public PhaseView {
            steps = List.copyOf(steps);
        }
    }

    public record StepView(String id, String name, Status status, String message) {
    }
}
