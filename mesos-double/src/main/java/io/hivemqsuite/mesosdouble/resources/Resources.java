package io.hivemqsuite.mesosdouble.resources;

import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/** Builds the unreserved resources a simulated agent starts with. */
public final class Resources {
    private Resources() {
    }

    public static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    public static Resource ports(long begin, long end) {
        return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(begin).setEnd(end)))
                .build();
    }

    /** The resource without its last (top) reservation: what a RESERVE takes from the offer. */
    public static Resource popReservation(Resource r) {
        Resource.Builder b = r.toBuilder();
        b.removeReservations(r.getReservationsCount() - 1);
        return b.build();
    }

    /** The reserved disk a persistent volume is made of: the resource without persistence and volume. */
    public static Resource withoutVolume(Resource r) {
        Resource.Builder b = r.toBuilder();
        if (r.hasDisk()) {
            Resource.DiskInfo.Builder disk = r.getDisk().toBuilder().clearPersistence().clearVolume();
            if (disk.hasSource()) {
                b.setDisk(disk);
            } else {
                b.clearDisk();
            }
        }
        return b.build();
    }

    public static boolean isPersistentVolume(Resource r) {
        return r.hasDisk() && r.getDisk().hasPersistence();
    }

    public static boolean isReserved(Resource r) {
        return r.getReservationsCount() > 0;
    }

    public static String describe(Resource r) {
        String quantity = switch (r.getType()) {
            case SCALAR -> Double.toString(r.getScalar().getValue());
            case RANGES -> r.getRanges().getRangeList().stream().map(x -> x.getBegin() + "-" + x.getEnd())
                    .reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElse("[]");
            default -> r.getType().name();
        };
        String role = isReserved(r) ? "(" + r.getReservations(r.getReservationsCount() - 1).getRole() + ")" : "(*)";
        String volume = isPersistentVolume(r) ? "[" + r.getDisk().getPersistence().getId() + "]" : "";
        return r.getName() + role + volume + ":" + quantity;
    }
}
