package io.hivemqsuite.scheduler.backend;

import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.state.PodRecord;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Where node agents run. The local backend starts processes on this machine; a Mesos backend would launch a
 * task group on reserved resources and learn about it from status updates, which is why {@link #launch} only
 * says what was started and {@link #isRunning} is asked again and again rather than trusting the launch.
 */
public interface ClusterBackend {

    /** A short name for logs and the pod info: {@code local}, {@code mesos}. */
    String name();

    /** The node's host address, where its broker listeners and its agent are reached. */
    String nodeAddress(int index);

    /** The base URL of node i's agent API. */
    String agentUrl(int index);

    /**
     * Starts node i's agent with this spec and the internal credential. The caller has written the pod record
     * (LAUNCHING) before, and writes the answer after.
     *
     * @return the process id of the agent (local) or 0 when the backend has none (Mesos)
     */
    long launch(int index, ServiceOptions spec, String credential);

    /** Whether the pod's agent lives: the recorded process, and that process is really this pod's agent. */
    boolean isRunning(PodRecord record);

    /**
     * Finds this pod's live agent after a scheduler restart, also when the record lacks its pid (a crash between
     * launch and writing the record). Empty: no agent runs, a launch is needed.
     */
    OptionalLong reattach(PodRecord record);

    /** Stops the pod's agent (which stops its broker) and waits until it is gone, forcing it after the grace. */
    void kill(PodRecord record, Duration grace);

    /** Deletes the pod's persistent data, for {@code pod replace}. Only when its agent is gone. */
    void wipe(int index);

    /** Where a user finds the node's output, for messages. */
    String logLocation(int index);

    /**
     * Uninstall, after every node was stopped: gives back what the backend holds beyond the processes (Mesos:
     * destroys the volumes, unreserves, tears the framework down). Returns when done.
     */
    default void release() {
    }

    /** The scheduler stops (it will be restarted): drop connections, leave the nodes running. */
    default void disconnect() {
    }
}
