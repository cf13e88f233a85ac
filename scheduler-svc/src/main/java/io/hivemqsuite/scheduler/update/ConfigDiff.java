package io.hivemqsuite.scheduler.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.options.OptionChanges;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fields that differ between two completed option trees, and what each change means for a running service.
 * Both trees are complete (every default filled in), so a field missing on one side only appears when the schema
 * itself grew.
 */
public final class ConfigDiff {

    /** What a changed field asks of the service. */
    public enum Effect {
        /** Cannot be changed on a running service. */
        REFUSED,
        /** node.count: grows by adding nodes; shrinking would be a decommission. */
        SCALE,
        /** The broker must restart with a new config (listeners, log level, heap, routing, resources). */
        RESTART,
        /** The node certificates are reissued and replaced in place (HiveMQ reloads keystores). */
        CERTIFICATES,
        /** Users and roles ({@code mqtt.auth.rbac_config}, {@code rbac_extension_config}) replaced in place on every node. */
        USERS,
        /** Only the scheduler uses it. */
        NONE
    }

    /** @param from the running value as JSON text, {@code to} the new one */
    public record Change(String field, String from, String to, Effect effect) {
    }

    private ConfigDiff() {
    }

    public static List<Change> diff(JsonNode from, JsonNode to) {
        Map<String, JsonNode> before = new LinkedHashMap<>();
        Map<String, JsonNode> after = new LinkedHashMap<>();
        flatten("", from, before);
        flatten("", to, after);
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : after.entrySet()) {
            JsonNode old = before.get(entry.getKey());
            if (!Objects.equals(old, entry.getValue())) {
                changes.add(new Change(entry.getKey(), text(old), text(entry.getValue()), effect(entry.getKey())));
            }
        }
        for (String field : before.keySet()) {
            if (!after.containsKey(field)) {
                changes.add(new Change(field, text(before.get(field)), null, effect(field)));
            }
        }
        return changes;
    }

    public static Effect effect(String field) {
        if (OptionChanges.installOnly(field)) {
            // the schema's x-install-only: the service's identity and what the DC/OS package could not change
            return Effect.REFUSED;
        }
        if (OptionChanges.withoutEffect(field)) {
            // accepted for the DC/OS package's files, but nothing renders it: no broker needs to restart
            return Effect.NONE;
        }
        if (field.equals("node.count")) {
            return Effect.SCALE;
        }
        if (field.equals("service.tls.ca_certificate_path") || field.equals("service.tls.ca_key_path")) {
            return Effect.CERTIFICATES;
        }
        if (field.equals("mqtt.auth.rbac_config") || field.equals("mqtt.auth.rbac_extension_config")) {
            // the broker extension re-reads its credentials file every second; mqtt.auth.enable_rbac still restarts
            return Effect.USERS;
        }
        if (field.startsWith("service.")) {
            // log_level is the suite services' own; service accounts and the validity are the scheduler's.
            return Effect.NONE;
        }
        return Effect.RESTART;
    }

    private static void flatten(String path, JsonNode node, Map<String, JsonNode> into) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), into);
            }
        } else {
            into.put(path, node);
        }
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.toString();
    }
}
