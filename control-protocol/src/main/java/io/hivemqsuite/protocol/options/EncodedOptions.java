package io.hivemqsuite.protocol.options;

import io.hivemqsuite.protocol.placement.PlacementConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.protocol.brokerconfig.ConfigTemplate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Options whose string holds something else: base64 files (the schema says {@code media.binaryEncoding: base64} —
 * license, RBAC files, the configuration override), the override's template syntax, and the placement constraint's
 * JSON. A JSON Schema cannot check these; the refusals name the field like the schema's own.
 */
public final class EncodedOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EncodedOptions() {
    }

    static List<FieldError> check(ServiceOptions options) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode tree = JSON.valueToTree(options);
        for (Map.Entry<String, JsonNode> leaf : OptionsSchema.packaged().leaves().entrySet()) {
            JsonNode media = leaf.getValue().path("media");
            if (!"base64".equals(media.path("binaryEncoding").asText())) {
                continue;
            }
            String value = at(tree, leaf.getKey()).asText("");
            if (value.isBlank()) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = decode(value);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(leaf.getKey(), "is not valid base64: " + e.getMessage()));
                continue;
            }
            if (media.path("type").asText().endsWith("xml") && !utf8(bytes)) {
                errors.add(new FieldError(leaf.getKey(), "decodes to bytes that are not UTF-8 text; an XML file is"
                        + " expected"));
            }
        }
        if (errors.stream().noneMatch(e -> e.field().equals(ConfigTemplate.FIELD))) {
            try {
                ConfigTemplate.of(options.advanced().configurationOverride());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(ConfigTemplate.FIELD, e.getMessage()));
            }
        }
        placement(options.node().placementConstraint(), errors);
        return errors;
    }

    /** The decoder of every base64 option: line breaks (as {@code base64} wraps at 76) are allowed. */
    public static byte[] decode(String value) {
        return Base64.getMimeDecoder().decode(strict(value.trim()));
    }

    /** The MIME decoder skips characters outside the alphabet; a typo must not pass as "ignored". */
    private static String strict(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || c == '+' || c == '/' || c == '=' || c == '\n'
                    || c == '\r';
            if (!ok) {
                throw new IllegalArgumentException("character '" + c + "' at position " + i
                        + " is not in the base64 alphabet");
            }
        }
        return value;
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void placement(String text, List<FieldError> errors) {
        try {
            PlacementConstraints.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("node.placement_constraint", e.getMessage()));
        }
    }

    private static JsonNode at(JsonNode tree, String field) {
        JsonNode node = tree;
        for (String name : field.split("\\.")) {
            node = node.path(name);
        }
        return node;
    }
}
