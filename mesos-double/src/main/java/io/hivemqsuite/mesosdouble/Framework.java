package io.hivemqsuite.mesosdouble;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;

import java.util.HashMap;
import java.util.Map;

/** A framework the double knows: its info, its current event stream (if connected), its offer filters. */
final class Framework {
    final FrameworkID id;
    FrameworkInfo info;
    EventStream stream;
    boolean suppressed;
    /** agent id to the time (ms) until which this framework refused the agent's resources. */
    final Map<String, Long> refusedUntil = new HashMap<>();

    Framework(FrameworkID id, FrameworkInfo info) {
        this.id = id;
        this.info = info;
    }

    String role() {
        if (info.getRolesCount() > 0) {
            return info.getRoles(0);
        }
        return info.hasRole() ? info.getRole() : "*";
    }

    boolean connected() {
        return stream != null && stream.isOpen();
    }

    boolean hasCapability(FrameworkInfo.Capability.Type type) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }
}
