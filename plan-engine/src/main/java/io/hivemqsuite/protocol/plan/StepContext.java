package io.hivemqsuite.protocol.plan;

import java.util.Map;

/**
 * What a step is told when it is asked to make progress.
 *
 * @param plan          the plan's name
 * @param phase         the phase's name
 * @param step          the step's name
 * @param status        the step's current status
 * @param message       the step's current message
 * @param statusSinceMs epoch milliseconds since the step is in {@code status} (after a process restart: since
 *                      the resume), so a step can give up after a timeout
 * @param parameters    the parameters the plan was last started with ({@code {"URL": ...}})
 */
public record StepContext(String plan, String phase, String step, Status status, String message, long statusSinceMs,
                          Map<String, String> parameters) {
    public StepContext {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public long millisInStatus(long nowMs) {
        return nowMs - statusSinceMs;
    }
}
