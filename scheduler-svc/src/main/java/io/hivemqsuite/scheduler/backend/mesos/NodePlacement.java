package io.hivemqsuite.scheduler.backend.mesos;

import java.util.List;
import java.util.Map;

/**
 * Where a node lives in the Mesos cluster: the agent holding its reservation and persistent volume, and its
 * current task. Written to the state store before the ACCEPT that creates it, so a restarted scheduler knows its
 * reservations and its task (and never launches a second one).
 *
 * @param index         node index
 * @param agentId       the Mesos agent id
 * @param hostname      the agent's hostname: the node's address
 * @param agentPort     the node agent's API port (one of the reserved ports)
 * @param ports         every reserved port (listeners and the agent API)
 * @param resourceIds   the {@code resource_id} labels of the node's reserved resources
 * @param persistenceId the persistent volume's id
 * @param taskId        the current task's id, empty before the first launch
 * @param taskState     the task's last known {@code TASK_*} state ({@code LAUNCHING} between ACCEPT and the first
 *                      update)
 * @param reserved      whether a task of this placement ever started: proof that the reservation and the volume
 *                      exist (a first launch on an offer that was rescinded meanwhile never reserved anything)
 * @param attributes    the agent's attributes when the node was placed, for the placement constraints of later
 *                      nodes (empty in placements stored before they were recorded)
 */
public record NodePlacement(int index, String agentId, String hostname, int agentPort, List<Integer> ports,
                            List<String> resourceIds, String persistenceId, String taskId, String taskState,
                            boolean reserved, Map<String, String> attributes) {
    public NodePlacement {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public NodePlacement withTask(String newTaskId, String state) {
        boolean started = reserved || switch (state) {
            case "TASK_STAGING", "TASK_STARTING", "TASK_RUNNING" -> true;
            default -> false;
        };
        return new NodePlacement(index, agentId, hostname, agentPort, ports, resourceIds, persistenceId, newTaskId,
                state, started, attributes);
    }

    public boolean taskActive() {
        return switch (taskState) {
            case "TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "LAUNCHING" -> true;
            default -> false;
        };
    }
}
