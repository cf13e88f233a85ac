package io.hivemqsuite.protocol.plan;

/**
 * What a step reports after being asked to make progress, or after looking at the world.
 *
 * @param status  the step's new status (a step status: PENDING, PREPARED, STARTING, STARTED, COMPLETE, ERROR)
 * @param message a sentence for humans: what the step is waiting for, or why it failed
 */
public record Progress(Status status, String message) {
    public Progress {
        if (status == null) {
            throw new IllegalArgumentException("status must not be null");
        }
        if (status == Status.IN_PROGRESS || status == Status.WAITING) {
            throw new IllegalArgumentException(status + " is an aggregate status, a step cannot report it");
        }
        message = message == null ? "" : message;
    }

    public static Progress of(Status status, String message) {
        return new Progress(status, message);
    }
}
