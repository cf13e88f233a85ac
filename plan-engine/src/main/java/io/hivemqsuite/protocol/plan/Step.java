package io.hivemqsuite.protocol.plan;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One unit of a plan with a readable name ({@code hivemq-0:[node]}), a status and a message. Its work is a
 * {@link StepAction}. Mutated only by its {@link Plan}, under the plan's lock.
 */
public final class Step {
    private final String name;
    private final StepAction action;
    private String id;
    private Status status = Status.PENDING;
    private String message = "";
    private long statusSinceMs = System.currentTimeMillis();
    /** When the step last left PENDING: the start of the run whose duration {@link PlanObserver} is told. */
    private long startedMs = statusSinceMs;

    public Step(String name, StepAction action) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("step name must not be empty");
        }
        this.name = name;
        this.action = action;
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    public Status status() {
        return status;
    }

    public String message() {
        return message;
    }

    StepAction action() {
        return action;
    }

    long statusSinceMs() {
        return statusSinceMs;
    }

    long startedMs() {
        return startedMs;
    }

    void assignId(String planName, String phaseName) {
        // Derived from the names so that the id a user copied survives a scheduler restart.
        id = UUID.nameUUIDFromBytes((planName + "/" + phaseName + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Answers whether anything changed, so the plan knows when to persist. */
    boolean update(Status newStatus, String newMessage, long nowMs) {
        String m = newMessage == null ? "" : newMessage;
        if (newStatus == status && m.equals(message)) {
            return false;
        }
        if (newStatus != status) {
            statusSinceMs = nowMs;
            if (status == Status.PENDING) {
                startedMs = nowMs;
            }
        }
        status = newStatus;
        message = m;
        return true;
    }

    /** Back to PENDING with the action's memory cleared. */
    boolean restart(long nowMs) {
        action.reset();
        return update(Status.PENDING, "", nowMs);
    }
}
