package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options a DC/OS options file may carry that do nothing here, and why: the schema marks them with
 * {@code x-enterprise-only} (HiveMQ Enterprise features the Community Edition lacks) or {@code x-no-effect}
 * (DC/OS details that have no counterpart in this suite). {@code install} prints the notes of the options a file
 * sets; {@code describe} prints all of them.
 */
public final class OptionNotes {

    /** @param enterprise whether the option is a HiveMQ Enterprise feature (else a DC/OS one) */
    public record Note(String field, boolean enterprise, String reason) {
        @Override
        public String toString() {
            return field + ": " + (enterprise ? "no effect on HiveMQ Community Edition (Enterprise only): "
                    : "no effect here: ") + reason;
        }
    }

    private OptionNotes() {
    }

    /** Every option that has no effect, in schema order. */
    public static List<Note> all() {
        List<Note> notes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> leaf : OptionsSchema.packaged().leaves().entrySet()) {
            JsonNode rule = leaf.getValue();
            if (rule.has("x-enterprise-only")) {
                notes.add(new Note(leaf.getKey(), true, rule.get("x-enterprise-only").asText()));
            } else if (rule.has("x-no-effect")) {
                notes.add(new Note(leaf.getKey(), false, rule.get("x-no-effect").asText()));
            }
        }
        return notes;
    }

    /** The notes of the options the user's own tree sets (defaults the user never wrote are not reported). */
    public static List<Note> given(JsonNode userOptions) {
        return all().stream().filter(n -> userOptions != null && present(userOptions, n.field())).toList();
    }

    private static boolean present(JsonNode tree, String field) {
        JsonNode node = tree;
        for (String name : field.split("\\.")) {
            node = node.path(name);
        }
        return !node.isMissingNode() && !node.isNull();
    }
}
