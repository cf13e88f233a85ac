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
    /** Offered with every offer of the agent, as TEXT attributes (what placement constraints look at). */
    final java.util.Map<String, String> attributes;
    boolean active = true;

    SimulatedAgent(String id, String hostname, Path workDir, List<Resource> resources,
                   java.util.Map<String, String> attributes) {
        this.attributes = java.util.Map.copyOf(attributes);
        this.id = AgentID.newBuilder().setValue(id).build();
        this.hostname = hostname;
        this.workDir = workDir;
        this.total = new ResourcePool(resources);
    }

    static List<Resource> defaultResources(double cpus, double mem, double disk, long portsBegin, long portsEnd) {
        return List.of(Resources.scalar("cpus", cpus), Resources.scalar("mem", mem), Resources.scalar("disk", disk),
                Resources.ports(portsBegin, portsEnd));
    }

    List<org.apache.mesos.v1.Protos.Attribute> offeredAttributes() {
        return attributes.entrySet().stream().map(e -> org.apache.mesos.v1.Protos.Attribute.newBuilder()
                .setName(e.getKey()).setType(org.apache.mesos.v1.Protos.Value.Type.TEXT)
                .setText(org.apache.mesos.v1.Protos.Value.Text.newBuilder().setValue(e.getValue())).build()).toList();
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
