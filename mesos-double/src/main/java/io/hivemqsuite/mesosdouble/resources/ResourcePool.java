package io.hivemqsuite.mesosdouble.resources;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bag of Mesos resources with the arithmetic the master applies: two resources add up only when they are the
 * same kind (name, reservations, disk info all equal), as in Mesos' own {@code Resources} class. Scalars are
 * compared with a small tolerance (Mesos keeps three decimals); ports are ranges.
 */
public final class ResourcePool {
    private static final double EPSILON = 0.0005;

    /** One kind of resource: the resource without its quantity, and the quantity. */
    private static final class Entry {
        final Resource kind;
        double scalar;
        final TreeMap<Long, Long> ranges = new TreeMap<>();

        Entry(Resource kind) {
            this.kind = kind;
        }
    }

    private final Map<ByteString, Entry> entries = new LinkedHashMap<>();

    public ResourcePool() {
    }

    public ResourcePool(Collection<Resource> resources) {
        resources.forEach(this::add);
    }

    public ResourcePool copy() {
        return new ResourcePool(toList());
    }

    private static Resource kindOf(Resource r) {
        return r.toBuilder().clearScalar().clearRanges().clearSet().build();
    }

    private static ByteString key(Resource r) {
        return kindOf(r).toByteString();
    }

    public void add(Resource r) {
        Entry e = entries.computeIfAbsent(key(r), k -> new Entry(kindOf(r)));
        if (r.getType() == Value.Type.SCALAR) {
            e.scalar += r.getScalar().getValue();
        } else if (r.getType() == Value.Type.RANGES) {
            for (Value.Range range : r.getRanges().getRangeList()) {
                addRange(e.ranges, range.getBegin(), range.getEnd());
            }
        }
    }

    public void addAll(Collection<Resource> resources) {
        resources.forEach(this::add);
    }

    /** Whether every resource of {@code wanted} (summed up by kind) is in this pool. */
    public boolean contains(Collection<Resource> wanted) {
        ResourcePool need = new ResourcePool(wanted);
        for (Map.Entry<ByteString, Entry> n : need.entries.entrySet()) {
            Entry have = entries.get(n.getKey());
            if (have == null) {
                if (n.getValue().scalar > EPSILON || !n.getValue().ranges.isEmpty()) {
                    return false;
                }
                continue;
            }
            if (n.getValue().scalar > have.scalar + EPSILON) {
                return false;
            }
            for (Map.Entry<Long, Long> range : n.getValue().ranges.entrySet()) {
                if (!covers(have.ranges, range.getKey(), range.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Takes the resources out; the caller checked {@link #contains} first. */
    public void subtract(Collection<Resource> resources) {
        for (Resource r : resources) {
            Entry e = entries.get(key(r));
            if (e == null) {
                throw new IllegalStateException("not in the pool: " + r.getName());
            }
            if (r.getType() == Value.Type.SCALAR) {
                e.scalar -= r.getScalar().getValue();
                if (e.scalar < EPSILON) {
                    e.scalar = 0;
                }
            } else if (r.getType() == Value.Type.RANGES) {
                for (Value.Range range : r.getRanges().getRangeList()) {
                    removeRange(e.ranges, range.getBegin(), range.getEnd());
                }
            }
            if (e.scalar == 0 && e.ranges.isEmpty()) {
                entries.remove(key(r));
            }
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The pool as Mesos resources, one per kind (ports as one resource with all its ranges). */
    public List<Resource> toList() {
        List<Resource> result = new ArrayList<>();
        for (Entry e : entries.values()) {
            Resource.Builder b = e.kind.toBuilder();
            if (e.kind.getType() == Value.Type.SCALAR) {
                b.setScalar(Value.Scalar.newBuilder().setValue(Math.round(e.scalar * 1000) / 1000.0));
            } else if (e.kind.getType() == Value.Type.RANGES) {
                Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
                e.ranges.forEach((begin, end) -> ranges.addRange(Value.Range.newBuilder().setBegin(begin).setEnd(end)));
                b.setRanges(ranges);
            }
            result.add(b.build());
        }
        return result;
    }

    private static boolean covers(TreeMap<Long, Long> ranges, long begin, long end) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(begin);
        return floor != null && floor.getValue() >= end;
    }

    private static void addRange(TreeMap<Long, Long> ranges, long begin, long end) {
        long b = begin;
        long e = end;
        Map.Entry<Long, Long> floor = ranges.floorEntry(b);
        if (floor != null && floor.getValue() >= b - 1) {
            b = floor.getKey();
            e = Math.max(e, floor.getValue());
            ranges.remove(floor.getKey());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(b);
        while (next != null && next.getKey() <= e + 1) {
            e = Math.max(e, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(b);
        }
        ranges.put(b, e);
    }

    private static void removeRange(TreeMap<Long, Long> ranges, long begin, long end) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(begin);
        if (floor == null || floor.getValue() < end) {
            throw new IllegalStateException("range " + begin + "-" + end + " not in the pool");
        }
        ranges.remove(floor.getKey());
        if (floor.getKey() < begin) {
            ranges.put(floor.getKey(), begin - 1);
        }
        if (floor.getValue() > end) {
            ranges.put(end + 1, floor.getValue());
        }
    }
}
