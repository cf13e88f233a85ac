package io.hivemqsuite.scheduler.state;

/**
 * What the scheduler knows about one pod, kept in ZooKeeper under {@code pods/<pod>} and written before the
 * scheduler acts on it, so a restarted scheduler finds its agents again instead of starting duplicates.
 *
 * @param index       node index
 * @param name        pod name ({@code hivemq-0})
 * @param address     the node's host address
 * @param taskId      id of the current launch ({@code hivemq-0-node__<uuid>}), empty before the first
 * @param agentPid    the node agent's process id, 0 when none is known
 * @param launchCount how often the agent was launched, over the pod's life
 * @param state       the scheduler's view of the pod
 * @param updatedAt   epoch milliseconds of this record
 */
public record PodRecord(int index, String name, String address, String taskId, long agentPid, int launchCount,
                        PodState state, long updatedAt) {

    public enum PodState {
        /** Never launched. */
        PENDING,
        /** A launch was decided and is being carried out; the pid may not be known yet. */
        LAUNCHING,
        /** The agent process was started (or re-attached). */
        RUNNING,
        /** The agent process ended without being asked to. */
        FAILED,
        /** The scheduler stopped the agent on purpose (restart, replace, uninstall). */
        KILLED
    }

    public static PodRecord initial(int index, String name, String address) {
        return new PodRecord(index, name, address, "", 0, 0, PodState.PENDING, System.currentTimeMillis());
    }

    public PodRecord launching(String newTaskId) {
        return new PodRecord(index, name, address, newTaskId, 0, launchCount + 1, PodState.LAUNCHING,
                System.currentTimeMillis());
    }

    public PodRecord running(long pid) {
        return new PodRecord(index, name, address, taskId, pid, launchCount, PodState.RUNNING, System.currentTimeMillis());
    }

    public PodRecord withState(PodState newState) {
        return new PodRecord(index, name, address, taskId, agentPid, launchCount, newState, System.currentTimeMillis());
    }
}
