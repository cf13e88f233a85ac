package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads options against {@code deploy/universe/config.json}, the JSON schema the Universe package
 * ships. Only the schema keywords that file uses are understood (type, properties,
 * additionalProperties, default, enum, minimum, maximum, pattern); a schema that needs more must
 * grow this class, so that Cosmos and we never disagree about what is valid.
 */
public final class OptionsSchema {
    private static final String RESOURCE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode schema;

    private OptionsSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** The schema packaged with this library (a copy of deploy/universe/config.json made at build time). */
    public static OptionsSchema packaged() {
        try (InputStream in = OptionsSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("options schema " + RESOURCE + " missing from the classpath");
            }
            return new OptionsSchema(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode schema() {
        return schema;
    }

    /**
     * Checks user options and returns them completed with every default. Throws
     * {@link OptionsException} naming each refused field; the input is never changed.
     */
    public ObjectNode complete(JsonNode options) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode input = options == null || options.isNull() ? JSON.createObjectNode() : options;
        JsonNode completed = check("", schema, input, errors);
        if (!errors.isEmpty()) {
            throw new OptionsException(errors);
        }
        return (ObjectNode) completed;
    }

    /** The defaults alone: what {@code hivemq install} with no options file installs. */
    public ObjectNode defaults() {
        return complete(JSON.createObjectNode());
    }

    private JsonNode check(String path, JsonNode rule, JsonNode value, List<FieldError> errors) {
        String type = rule.path("type").asText("object");
        String field = path.isEmpty() ? "(options)" : path;
        if (!hasType(type, value)) {
            errors.add(new FieldError(field, "must be " + article(type) + " but is " + describe(value)));
            return value;
        }
        switch (type) {
            case "object":
                return checkObject(path, rule, (ObjectNode) value, errors);
            case "integer":
            case "number":
                checkRange(field, rule, value, errors);
                break;
            case "string":
                checkPattern(field, rule, value.asText(), errors);
                break;
            default:
                break;
        }
        checkEnum(field, rule, value, errors);
        return value;
    }

    private JsonNode checkObject(String path, JsonNode rule, ObjectNode value, List<FieldError> errors) {
        ObjectNode result = JSON.createObjectNode();
        JsonNode properties = rule.path("properties");
        boolean closed = !rule.path("additionalProperties").asBoolean(true);
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!properties.has(name)) {
                if (closed) {
                    errors.add(new FieldError(join(path, name), "unknown field (allowed: " + fieldNames(properties) + ")"));
                } else {
                    result.set(name, value.get(name));
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = property.getKey();
            JsonNode childRule = property.getValue();
            JsonNode given = value.get(name);
            if (given == null || given.isNull()) {
                if (childRule.has("default")) {
                    result.set(name, childRule.get("default").deepCopy());
                } else if ("object".equals(childRule.path("type").asText())) {
                    result.set(name, checkObject(join(path, name), childRule, JSON.createObjectNode(), errors));
                }
            } else {
                result.set(name, check(join(path, name), childRule, given, errors));
            }
        }
        return result;
    }

    private static void checkRange(String field, JsonNode rule, JsonNode value, List<FieldError> errors) {
        double number = value.asDouble();
        if (rule.has("minimum") && number < rule.get("minimum").asDouble()) {
            errors.add(new FieldError(field, "must be at least " + rule.get("minimum").asText() + " but is " + value.asText()));
        }
        if (rule.has("maximum") && number > rule.get("maximum").asDouble()) {
            errors.add(new FieldError(field, "must be at most " + rule.get("maximum").asText() + " but is " + value.asText()));
        }
    }

    private static void checkPattern(String field, JsonNode rule, String text, List<FieldError> errors) {
        if (rule.has("pattern") && !Pattern.compile(rule.get("pattern").asText()).matcher(text).matches()) {
            errors.add(new FieldError(field, "'" + text + "' does not match " + rule.get("pattern").asText()
                    + " (lower-case letters, digits and dashes, optionally in /folders)"));
        }
    }

    private static void checkEnum(String field, JsonNode rule, JsonNode value, List<FieldError> errors) {
        if (!rule.has("enum")) {
            return;
        }
        for (JsonNode allowed : rule.get("enum")) {
            if (allowed.equals(value)) {
                return;
            }
        }
        errors.add(new FieldError(field, "'" + value.asText() + "' is not one of " + rule.get("enum")));
    }

    private static boolean hasType(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            default -> throw new IllegalStateException("schema type '" + type + "' is not understood by OptionsSchema");
        };
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string \"" + value.asText() + "\"";
        }
        if (value.isFloatingPointNumber()) {
            return "the fraction " + value.asText();
        }
        return value.getNodeType().name().toLowerCase() + " " + value;
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "integer" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String fieldNames(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static String join(String path, String name) {
        // A key that is empty or not a plain word is quoted, so that a refusal still names it: {"": 1} -> "".
        String shown = name.matches("[A-Za-z0-9_-]+") ? name : '"' + name.replace("\"", "\\\"") + '"';
        return path.isEmpty() ? shown : path + "." + shown;
    }
}
