package io.hivemqsuite.protocol.plan;

/**
 * Status of a step, phase or plan, named as dcos-commons names them so scripts written against the
 * DC/OS service keep working. Steps move PENDING, PREPARED, STARTING, STARTED, COMPLETE; plans and
 * phases add IN_PROGRESS as their aggregate and WAITING when interrupted.
 */
public enum Status {
    PENDING,
    PREPARED,
    STARTING,
    STARTED,
    IN_PROGRESS,
    WAITING,
    COMPLETE,
    ERROR;

    public boolean isTerminal() {
        return this == COMPLETE || this == ERROR;
    }

    public boolean isRunning() {
        return this == PREPARED || this == STARTING || this == STARTED || this == IN_PROGRESS;
    }
}
