package io.hivemqsuite.mesosdouble;

import io.hivemqsuite.mesosdouble.resources.ResourcePool;
import io.hivemqsuite.mesosdouble.resources.Resources;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * ACCEPT as the Mesos master carries it out: the offers must all be valid, this framework's and on one agent;
 * the operations then apply in order to the offered resources, each validated against what is left of them.
 * An invalid RESERVE/UNRESERVE/CREATE/DESTROY is dropped (the master logs it; here it is also recorded as a
 * refusal) and the rest go on; an invalid LAUNCH_GROUP fails its tasks with TASK_ERROR; tasks launched on
 * invalid offers get TASK_DROPPED or TASK_LOST. What is left of the offers goes back, filtered for the call's
 * refuse_seconds (default 5 s). Called with the master's lock held.
 */
final class Operations {
    private final MesosMasterDouble master;

    Operations(MesosMasterDouble master) {
        this.master = master;
    }

    void accept(Framework framework, Call.Accept accept) {
        List<MesosMasterDouble.PendingOffer> taken = new ArrayList<>();
        String invalid = null;
        for (OfferID id : accept.getOfferIdsList()) {
            Optional<MesosMasterDouble.PendingOffer> offer = master.takeOffer(framework, id);
            if (offer.isEmpty()) {
                invalid = "Offer " + id.getValue() + " is no longer valid";
            } else {
                taken.add(offer.get());
            }
        }
        if (invalid == null && accept.getOfferIdsCount() == 0) {
            invalid = "No offers specified";
        }
        if (invalid == null && taken.stream().map(o -> o.agent()).distinct().count() > 1) {
            invalid = "Aggregated offers must belong to one single agent";
        }
        if (invalid != null) {
            master.refuse("ACCEPT: " + invalid);
            for (MesosMasterDouble.PendingOffer offer : taken) {
                offer.agent().allocated.subtract(offer.offer().getResourcesList());
            }
            dropLaunches(framework, accept, invalid);
            return;
        }
        SimulatedAgent agent = taken.get(0).agent();
        ResourcePool offered = new ResourcePool();
        for (MesosMasterDouble.PendingOffer offer : taken) {
            offered.addAll(offer.offer().getResourcesList());
            // the offer's hold ends here: what the operations keep is held again below
            agent.allocated.subtract(offer.offer().getResourcesList());
        }
        for (Offer.Operation operation : accept.getOperationsList()) {
            String error = switch (operation.getType()) {
                case RESERVE -> reserve(framework, agent, offered, operation.getReserve().getResourcesList());
                case UNRESERVE -> unreserve(framework, agent, offered, operation.getUnreserve().getResourcesList());
                case CREATE -> create(framework, agent, offered, operation.getCreate().getVolumesList());
                case DESTROY -> destroy(framework, agent, offered, operation.getDestroy().getVolumesList());
                case LAUNCH_GROUP -> launchGroup(framework, agent, offered, operation.getLaunchGroup());
                default -> operation.getType() + " is not supported by the double";
            };
            if (error != null) {
                master.refuse("ACCEPT " + operation.getType() + ": " + error);
            }
        }
        double refuseSeconds = accept.hasFilters() && accept.getFilters().hasRefuseSeconds()
                ? accept.getFilters().getRefuseSeconds() : 5.0;
        framework.refusedUntil.put(agent.id.getValue(), System.currentTimeMillis() + (long) (refuseSeconds * 1000));
    }

    private void dropLaunches(Framework framework, Call.Accept accept, String why) {
        TaskState state = framework.hasCapability(org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE)
                ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
        for (Offer.Operation operation : accept.getOperationsList()) {
            List<TaskInfo> launched = switch (operation.getType()) {
                case LAUNCH -> operation.getLaunch().getTaskInfosList();
                case LAUNCH_GROUP -> operation.getLaunchGroup().getTaskGroup().getTasksList();
                default -> List.of();
            };
            for (TaskInfo task : launched) {
                master.masterUpdate(framework, task.getTaskId(), task.getAgentId(), state,
                        TaskStatus.Reason.REASON_INVALID_OFFERS, "Task launched with invalid offers: " + why);
            }
        }
    }

    private String checkReservation(Framework framework, Resource r) {
        if (!Resources.isReserved(r)) {
            return "Resource " + Resources.describe(r) + " carries no reservation";
        }
        Resource.ReservationInfo top = r.getReservations(r.getReservationsCount() - 1);
        if (top.getType() != Resource.ReservationInfo.Type.DYNAMIC) {
            return "Resource " + Resources.describe(r) + " is not a dynamic reservation";
        }
        if (!top.getRole().equals(framework.role())) {
            return "Resource " + Resources.describe(r) + " is reserved for role '" + top.getRole()
                    + "' but the framework's role is '" + framework.role() + "'";
        }
        String principal = framework.info.getPrincipal();
        if (!top.getPrincipal().isEmpty() && !top.getPrincipal().equals(principal)) {
            return "A reserve operation was attempted with principal '" + top.getPrincipal()
                    + "', which does not match the framework's principal '" + principal + "'";
        }
        return null;
    }

    private String reserve(Framework framework, SimulatedAgent agent, ResourcePool offered, List<Resource> resources) {
        List<Resource> unreserved = new ArrayList<>();
        for (Resource r : resources) {
            String error = checkReservation(framework, r);
            if (error != null) {
                return error;
            }
            if (Resources.isPersistentVolume(r)) {
                return "A persistent volume cannot be reserved: reserve the disk, then CREATE the volume";
            }
            unreserved.add(Resources.popReservation(r));
        }
        if (!offered.contains(unreserved)) {
            return "Invalid RESERVE Operation: " + describe(unreserved) + " is not in the offered "
                    + describe(offered.toList());
        }
        offered.subtract(unreserved);
        offered.addAll(resources);
        agent.total.subtract(unreserved);
        agent.total.addAll(resources);
        return null;
    }

    private String unreserve(Framework framework, SimulatedAgent agent, ResourcePool offered, List<Resource> resources) {
        List<Resource> plain = new ArrayList<>();
        for (Resource r : resources) {
            String error = checkReservation(framework, r);
            if (error != null) {
                return error;
            }
            if (Resources.isPersistentVolume(r)) {
                return "A dynamically reserved persistent volume " + r.getDisk().getPersistence().getId()
                        + " cannot be unreserved: DESTROY it first";
            }
            plain.add(Resources.popReservation(r));
        }
        if (!offered.contains(resources)) {
            return "Invalid UNRESERVE Operation: " + describe(resources) + " is not in the offered "
                    + describe(offered.toList());
        }
        offered.subtract(resources);
        offered.addAll(plain);
        agent.total.subtract(resources);
        agent.total.addAll(plain);
        return null;
    }

    private String create(Framework framework, SimulatedAgent agent, ResourcePool offered, List<Resource> volumes) {
        List<Resource> disks = new ArrayList<>();
        for (Resource volume : volumes) {
            if (!Resources.isPersistentVolume(volume)) {
                return "Resource " + Resources.describe(volume) + " is not a persistent volume";
            }
            if (!Resources.isReserved(volume)) {
                return "Persistent volumes cannot be created from unreserved resources";
            }
            String error = checkReservation(framework, volume);
            if (error != null) {
                return error;
            }
            if (!volume.getDisk().hasVolume() || volume.getDisk().getVolume().getContainerPath().isEmpty()) {
                return "Persistent volume " + volume.getDisk().getPersistence().getId() + " has no container path";
            }
            String id = volume.getDisk().getPersistence().getId();
            boolean taken = agent.total.toList().stream().anyMatch(r -> Resources.isPersistentVolume(r)
                    && r.getDisk().getPersistence().getId().equals(id));
            if (taken) {
                return "Persistence ID '" + id + "' is already in use";
            }
            disks.add(Resources.withoutVolume(volume));
        }
        if (!offered.contains(disks)) {
            return "Invalid CREATE Operation: " + describe(disks) + " is not in the offered " + describe(offered.toList());
        }
        offered.subtract(disks);
        offered.addAll(volumes);
        agent.total.subtract(disks);
        agent.total.addAll(volumes);
        return null;
    }

    private String destroy(Framework framework, SimulatedAgent agent, ResourcePool offered, List<Resource> volumes) {
        List<Resource> disks = new ArrayList<>();
        for (Resource volume : volumes) {
            if (!Resources.isPersistentVolume(volume)) {
                return "Resource " + Resources.describe(volume) + " is not a persistent volume";
            }
            if (master.volumeInUse(agent, volume.getDisk().getPersistence().getId())) {
                return "Persistent volume " + volume.getDisk().getPersistence().getId() + " is in use by a task";
            }
            disks.add(Resources.withoutVolume(volume));
        }
        if (!offered.contains(volumes)) {
            return "Invalid DESTROY Operation: persistent volumes " + describe(volumes) + " are not in the offered "
                    + describe(offered.toList());
        }
        offered.subtract(volumes);
        offered.addAll(disks);
        agent.total.subtract(volumes);
        agent.total.addAll(disks);
        for (Resource volume : volumes) {
            deleteRecursively(agent.volumeDir(framework.role(), volume.getDisk().getPersistence().getId()));
        }
        return null;
    }

    private String launchGroup(Framework framework, SimulatedAgent agent, ResourcePool offered,
                               org.apache.mesos.v1.Protos.Offer.Operation.LaunchGroup launch) {
        ExecutorInfo executor = launch.getExecutor();
        List<TaskInfo> group = launch.getTaskGroup().getTasksList();
        String error = null;
        if (executor.getType() != ExecutorInfo.Type.DEFAULT) {
            error = "The executor of a task group must be of type DEFAULT";
        } else if (!executor.getFrameworkId().equals(framework.id)) {
            error = "ExecutorInfo has an invalid FrameworkID (expected " + framework.id.getValue() + ")";
        } else if (group.isEmpty()) {
            error = "Task group is empty";
        }
        List<Resource> needed = new ArrayList<>(executor.getResourcesList());
        for (TaskInfo task : group) {
            if (error != null) {
                break;
            }
            if (!task.getAgentId().equals(agent.id)) {
                error = "Task uses an invalid agent ID " + task.getAgentId().getValue();
            } else if (master.taskIdInUse(task.getTaskId().getValue())) {
                error = "Task has duplicate ID: " + task.getTaskId().getValue();
            } else if (!task.hasCommand() || task.getCommand().getValue().isEmpty()) {
                error = "Task " + task.getTaskId().getValue() + " has no command";
            } else if (task.hasExecutor()) {
                error = "The tasks of a task group must not have an executor";
            }
            needed.addAll(task.getResourcesList());
        }
        if (error == null && !offered.contains(needed)) {
            error = "Total resources " + describe(needed) + " required by task group and its executor are more than"
                    + " available " + describe(offered.toList());
        }
        if (error != null) {
            for (TaskInfo task : group) {
                master.masterUpdate(framework, task.getTaskId(), agent.id, TaskState.TASK_ERROR,
                        TaskStatus.Reason.REASON_TASK_GROUP_INVALID, error);
            }
            return error;
        }
        offered.subtract(needed);
        boolean first = true;
        for (TaskInfo task : group) {
            SimulatedTask simulated = new SimulatedTask(task, executor, agent, framework.id.getValue());
            if (first) {
                simulated.resources.addAll(executor.getResourcesList());
                first = false;
            }
            master.launch(framework, simulated);
        }
        return null;
    }

    private static String describe(List<Resource> resources) {
        return resources.stream().map(Resources::describe).reduce((a, b) -> a + "; " + b).orElse("{}");
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
