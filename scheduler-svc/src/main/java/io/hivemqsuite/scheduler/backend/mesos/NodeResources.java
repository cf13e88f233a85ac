package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a node takes from an agent and how it is labelled. A node reserves its cpus, mem, disk and ports (its
 * listeners' and its agent API's) plus a small share for Mesos' default executor, every piece labelled with the
 * service and its own {@code resource_id} so that a restarted scheduler tells its reservations from anyone
 * else's; the node's disk becomes a persistent volume mounted at {@value #VOLUME_PATH} in the task's sandbox.
 */
final class NodeResources {
    static final String VOLUME_PATH = "hivemq-data";
    static final String LABEL_SERVICE = "hivemq_suite_service";
    static final String LABEL_POD = "hivemq_suite_pod";
    static final String LABEL_RESOURCE_ID = "resource_id";
    static final double EXECUTOR_CPUS = 0.1;
    static final double EXECUTOR_MEM = 32;
    static final double EXECUTOR_DISK = 16;
    static final int PREFERRED_AGENT_PORT = 9100;

    /** A new node's reservation on one offer: what RESERVE and CREATE carry, and the placement it makes. */
    record NewReservation(List<Resource> reserve, Resource volume, NodePlacement placement) {
    }

    private final String service;
    private final String role;
    private final String principal;

    NodeResources(String service, String role, String principal) {
        this.service = service;
        this.role = role;
        this.principal = principal;
    }

    /** Whether the resource carries this service's reservation label. */
    boolean ours(Resource r) {
        return r.getReservationsCount() > 0 && label(r, LABEL_SERVICE).map(service::equals).orElse(false);
    }

    static Optional<String> label(Resource r, String key) {
        if (r.getReservationsCount() == 0) {
            return Optional.empty();
        }
        return r.getReservations(r.getReservationsCount() - 1).getLabels().getLabelsList().stream()
                .filter(l -> l.getKey().equals(key)).map(Label::getValue).findFirst();
    }

    /** Fits node i on the offer's unreserved resources, or empty when it does not fit. */
    Optional<NewReservation> fit(Offer offer, int index, ServiceOptions spec) {
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        TreeSet<Long> free = new TreeSet<>();
        List<long[]> ranges = new ArrayList<>();
        for (Resource r : offer.getResourcesList()) {
            if (r.getReservationsCount() > 0 || (r.hasDisk() && (r.getDisk().hasPersistence() || r.getDisk().hasSource()))) {
                continue;
            }
            switch (r.getName()) {
                case "cpus" -> cpus += r.getScalar().getValue();
                case "mem" -> mem += r.getScalar().getValue();
                case "disk" -> disk += r.getScalar().getValue();
                case "ports" -> r.getRanges().getRangeList().forEach(x -> ranges.add(new long[]{x.getBegin(), x.getEnd()}));
                default -> {
                }
            }
        }
        ServiceOptions.Node node = spec.node();
        if (cpus + 1e-6 < node.cpus() + EXECUTOR_CPUS || mem + 1e-6 < node.mem() + EXECUTOR_MEM
                || disk + 1e-6 < node.disk() + EXECUTOR_DISK) {
            return Optional.empty();
        }
        List<Integer> ports = new ArrayList<>();
        for (ServiceOptions.ListenerEndpoint listener : spec.enabledListeners()) {
            if (!inRanges(ranges, listener.port())) {
                return Optional.empty();
            }
            ports.add(listener.port());
        }
        int agentPort = -1;
        if (inRanges(ranges, PREFERRED_AGENT_PORT) && !ports.contains(PREFERRED_AGENT_PORT)) {
            agentPort = PREFERRED_AGENT_PORT;
        } else {
            for (long[] range : ranges) {
                for (long p = range[0]; p <= range[1] && agentPort < 0; p++) {
                    if (!ports.contains((int) p)) {
                        agentPort = (int) p;
                    }
                }
            }
        }
        if (agentPort < 0) {
            return Optional.empty();
        }
        ports.add(agentPort);
        String pod = PodNames.pod(index);
        List<String> ids = new ArrayList<>();
        List<Resource> reserve = new ArrayList<>();
        reserve.add(reserved(scalar("cpus", node.cpus() + EXECUTOR_CPUS), pod, ids));
        reserve.add(reserved(scalar("mem", node.mem() + EXECUTOR_MEM), pod, ids));
        Resource volumeDisk = reserved(scalar("disk", node.disk()), pod, ids);
        reserve.add(volumeDisk);
        reserve.add(reserved(scalar("disk", EXECUTOR_DISK), pod, ids));
        Value.Ranges.Builder portRanges = Value.Ranges.newBuilder();
        ports.stream().sorted().forEach(p -> portRanges.addRange(Value.Range.newBuilder().setBegin(p).setEnd(p)));
        reserve.add(reserved(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(portRanges)
                .build(), pod, ids));
        String persistenceId = pod + "__" + UUID.randomUUID();
        Resource volume = volumeDisk.toBuilder().setDisk(Resource.DiskInfo.newBuilder()
                .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId(persistenceId).setPrincipal(principal))
                .setVolume(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath(VOLUME_PATH)
                        .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW))).build();
        NodePlacement placement = new NodePlacement(index, offer.getAgentId().getValue(), offer.getHostname(),
                agentPort, List.copyOf(ports), List.copyOf(ids), persistenceId, "", "", false, attributes(offer));
        return Optional.of(new NewReservation(reserve, volume, placement));
    }

    /** The offer's agent attributes as placement constraints read them: text, or a scalar's number. */
    static java.util.Map<String, String> attributes(Offer offer) {
        java.util.Map<String, String> result = new java.util.TreeMap<>();
        for (org.apache.mesos.v1.Protos.Attribute a : offer.getAttributesList()) {
            if (a.hasText()) {
                result.put(a.getName(), a.getText().getValue());
            } else if (a.hasScalar()) {
                double v = a.getScalar().getValue();
                result.put(a.getName(), v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
            }
        }
        return result;
    }

    /**
     * The reserved resources of a placement as the offer carries them, after RESERVE and CREATE: the volume and
     * the reserved cpus, mem, executor disk and ports. Empty when the offer lacks any of them.
     */
    Optional<List<Resource>> reservedIn(List<Resource> offered, NodePlacement placement) {
        List<Resource> found = new ArrayList<>();
        for (String id : placement.resourceIds()) {
            Optional<Resource> match = offered.stream()
                    .filter(r -> label(r, LABEL_RESOURCE_ID).map(id::equals).orElse(false)).findFirst();
            if (match.isEmpty()) {
                return Optional.empty();
            }
            found.add(match.get());
        }
        boolean volume = found.stream().anyMatch(r -> r.hasDisk() && r.getDisk().hasPersistence()
                && r.getDisk().getPersistence().getId().equals(placement.persistenceId()));
        return volume ? Optional.of(found) : Optional.empty();
    }

    /** The node task's share: cpus and mem without the executor's, every port, the volume. */
    static List<Resource> taskShare(List<Resource> reserved, ServiceOptions.Node node) {
        List<Resource> result = new ArrayList<>();
        for (Resource r : reserved) {
            switch (r.getName()) {
                case "cpus" -> result.add(withScalar(r, node.cpus()));
                case "mem" -> result.add(withScalar(r, node.mem()));
                case "ports" -> result.add(r);
                case "disk" -> {
                    if (r.hasDisk() && r.getDisk().hasPersistence()) {
                        result.add(r);
                    }
                }
                default -> {
                }
            }
        }
        return result;
    }

    /** The default executor's share. */
    static List<Resource> executorShare(List<Resource> reserved) {
        List<Resource> result = new ArrayList<>();
        for (Resource r : reserved) {
            switch (r.getName()) {
                case "cpus" -> result.add(withScalar(r, EXECUTOR_CPUS));
                case "mem" -> result.add(withScalar(r, EXECUTOR_MEM));
                case "disk" -> {
                    if (!r.hasDisk() || !r.getDisk().hasPersistence()) {
                        result.add(withScalar(r, EXECUTOR_DISK));
                    }
                }
                default -> {
                }
            }
        }
        return result;
    }

    private Resource reserved(Resource plain, String pod, List<String> ids) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        return plain.toBuilder().addReservations(Resource.ReservationInfo.newBuilder()
                .setType(Resource.ReservationInfo.Type.DYNAMIC).setRole(role).setPrincipal(principal)
                .setLabels(Labels.newBuilder()
                        .addLabels(Label.newBuilder().setKey(LABEL_SERVICE).setValue(service))
                        .addLabels(Label.newBuilder().setKey(LABEL_POD).setValue(pod))
                        .addLabels(Label.newBuilder().setKey(LABEL_RESOURCE_ID).setValue(id))))
                .build();
    }

    /** An offer of an agent large enough for any node, for {@code MesosBackend}'s warm-up only (never sent). */
    static Offer warmUpOffer() {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue("warm-up"))
                .setFrameworkId(FrameworkID.newBuilder().setValue("warm-up"))
                .setAgentId(AgentID.newBuilder().setValue("warm-up"))
                .setHostname("127.0.0.1")
                .addResources(scalar("cpus", 1024)).addResources(scalar("mem", 1 << 22)).addResources(scalar("disk", 1 << 22))
                .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(Value.Ranges
                        .newBuilder().addRange(Value.Range.newBuilder().setBegin(1).setEnd(65535))))
                .build();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static Resource withScalar(Resource r, double value) {
        return r.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static boolean inRanges(List<long[]> ranges, long port) {
        return ranges.stream().anyMatch(r -> r[0] <= port && port <= r[1]);
    }
}
