package io.hivemqsuite.protocol.plan;

/**
 * A plan operation that names something the plan does not have (a phase, a step). Carries the request field
 * at fault so a REST answer can say {@code {"message": ..., "field": "phase"}}.
 */
public class PlanRequestException extends IllegalArgumentException {
    private final String field;

    public PlanRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
