package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Which options an update may change. The schema marks the install-only ones with {@code x-install-only}: the
 * service's identity ({@code service.name}, {@code service.mode}), what the DC/OS package could not change on a
 * running service either (the volume: {@code node.disk}, {@code node.disk_type}; the pod network:
 * {@code service.virtual_network_*}; {@code hivemq.cluster_tls_enabled}, which the package calls not changeable at
 * runtime). Every other option is runtime-changeable: the update rolls it out with the rolling restart.
 */
public final class OptionChanges {
    private OptionChanges() {
    }

    public static boolean installOnly(String field) {
        return OptionsSchema.packaged().rule(field).path("x-install-only").asBoolean(false);
    }

    /** Whether the option does nothing here (Enterprise-only or DC/OS-only): changing it needs no restart. */
    public static boolean withoutEffect(String field) {
        JsonNode rule = OptionsSchema.packaged().rule(field);
        return rule.has("x-enterprise-only") || rule.has("x-no-effect");
    }

    /** Every install-only option, in schema order. */
    public static List<String> installOnly() {
        return OptionsSchema.packaged().leaves().entrySet().stream()
                .filter(e -> e.getValue().path("x-install-only").asBoolean(false))
                .map(Map.Entry::getKey).toList();
    }
}
