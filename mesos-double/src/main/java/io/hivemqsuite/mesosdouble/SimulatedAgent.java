package io.hivemqsuite.mesosdouble;

import io.hivemqsuite.mesosdouble.resources.ResourcePool;
import io.hivemqsuite.mesosdouble.resources.Resources;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Resource;

import java.nio.file.Path;
import java.util.List;

/**
 * One Mesos agent of the double: a host with its own loopback address, its resources (which reservations and
 * persistent volumes transform, as on a real agent) and a work folder holding the task sandboxes and volumes.
 * Guarded by the master's lock.
 */
final class SimulatedAgent {
    final AgentID id;
    final String hostname;
    final Path workDir;
    /** Everything the agent has, reserved or not, volumes included. */
    final ResourcePool total;
    /** Held by outstanding offers and running tasks. */
    final ResourcePool allocated = new ResourcePool();
    boolean active = true;

    SimulatedAgent(String id, String hostname, Path workDir, List<Resource> resources) {
        this.id = AgentID.newBuilder().setValue(id).build();
        this.hostname = hostname;
        this.workDir = workDir;
        this.total = new ResourcePool(resources);
    }

    static List<Resource> defaultResources(double cpus, double mem, double disk, long portsBegin, long portsEnd) {
        return List.of(Resources.scalar("cpus", cpus), Resources.scalar("mem", mem), Resources.scalar("disk", disk),
                Resources.ports(portsBegin, portsEnd));
    }

    /** What is neither offered nor used. */
    ResourcePool available() {
        ResourcePool free = total.copy();
        ResourcePool held = allocated.copy();
        // an allocation can only hold what the agent has; subtract kind by kind
        free.subtract(held.toList());
        return free;
    }

    Path volumeDir(String role, String persistenceId) {
        return workDir.resolve("volumes").resolve("roles").resolve(role.replace('/', '_')).resolve(persistenceId);
    }

    Path sandbox(String frameworkId, String taskId) {
        return workDir.resolve("frameworks").resolve(frameworkId).resolve("tasks").resolve(taskId);
    }
}
