package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * What {@code hivemq describe} prints: the options the service runs with, every default filled in, as the DC/OS
 * CLI's {@code describe} did; secrets (the schema's {@code x-secret}: passwords, the license, the RBAC files) masked,
 * followed by the options that have no effect here and why.
 */
public final class OptionsDescription {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OptionsDescription() {
    }

    /** The completed options as a tree, each non-empty secret replaced by a mask that tells only its length. */
    public static ObjectNode masked(ServiceOptions options) {
        ObjectNode tree = JSON.valueToTree(options);
        for (Map.Entry<String, JsonNode> leaf : OptionsSchema.packaged().leaves().entrySet()) {
            if (!leaf.getValue().path("x-secret").asBoolean()) {
                continue;
            }
            String[] path = leaf.getKey().split("\\.");
            JsonNode parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.path(path[i]);
            }
            String value = parent.path(path[path.length - 1]).asText("");
            if (parent instanceof ObjectNode object && !value.isEmpty()) {
                object.put(path[path.length - 1], "<masked, " + value.length() + " characters>");
            }
        }
        return tree;
    }

    public static String text(ServiceOptions options) {
        StringBuilder text = new StringBuilder();
        try {
            text.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(masked(options))).append('\n');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write options", e);
        }
        text.append("\nOptions without effect in this service:\n");
        for (OptionNotes.Note note : OptionNotes.all()) {
            text.append("  ").append(note).append('\n');
        }
        text.append("\nOptions an update cannot change (install-only): ")
                .append(String.join(", ", OptionChanges.installOnly())).append('\n');
        return text.toString();
    }
}
