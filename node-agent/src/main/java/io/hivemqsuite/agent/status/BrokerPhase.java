package io.hivemqsuite.agent.status;

/** What the supervisor knows about the broker process; {@link NodeStatusBoard} turns it into a NodeState. */
public enum BrokerPhase {
    /** The agent has not launched a broker yet (laying out the home). */
    NOT_STARTED,
    /** Launched; waiting for the "started" log line and every listener. */
    STARTING,
    /** Started and its listeners opened at least once since the launch. */
    RUNNING,
    /** Died; waiting out the backoff before the next launch. */
    RESTARTING,
    /** Cannot be started until someone fixes the cause (bad spec, config rejected). */
    FAILED,
    /** Stopped on purpose: the agent shuts down. */
    STOPPED
}
