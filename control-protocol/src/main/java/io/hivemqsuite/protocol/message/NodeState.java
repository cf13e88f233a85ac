package io.hivemqsuite.protocol.message;

/** Lifecycle of one node as its agent sees it. */
public enum NodeState {
    /** The agent is laying out the home or the broker is starting. */
    STARTING,
    /** The broker runs and every configured listener accepts connections. */
    HEALTHY,
    /** The broker runs but a listener does not answer, or the broker died and is being restarted. */
    UNHEALTHY,
    /** The agent stopped the broker on purpose (shutdown). */
    STOPPED
}
