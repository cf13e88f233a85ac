package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads options against {@code deploy/universe/config.json}, the JSON Schema the Universe package ships. The check
 * itself is a real draft-4 validator (networknt, the draft Cosmos uses), so that Cosmos and we never disagree about
 * what is valid; this class only turns its findings into {@link FieldError}s that name the field the way the user
 * wrote it, and fills in the defaults.
 *
 * <p>The schema carries three keywords of our own, which validators ignore: {@code x-install-only} (an update may not
 * change the option), {@code x-no-effect} (the option is accepted but does nothing here; the text says why) and
 * {@code x-secret} ({@code describe} masks the value).
 */
public final class OptionsSchema {
    private static final String RESOURCE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode schema;
    private final JsonSchema validator;

    private OptionsSchema(JsonNode schema) {
        this.schema = schema;
        this.validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /** The schema packaged with this library (a copy of deploy/universe/config.json made at build time). */
    public static OptionsSchema packaged() {
        return Holder.PACKAGED;
    }

    private static final class Holder {
        // read once: every reader, REST call and stored target shares it
        static final OptionsSchema PACKAGED = load();

        private static OptionsSchema load() {
            try (InputStream in = OptionsSchema.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("options schema " + RESOURCE + " missing from the classpath");
                }
                return new OptionsSchema(JSON.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
        JsonNode input = options == null || options.isNull() ? JSON.createObjectNode() : options;
        List<FieldError> errors = validate(input);
        if (!errors.isEmpty()) {
            throw new OptionsException(errors);
        }
        return (ObjectNode) fill(schema, input);
    }

    /** The defaults alone: what {@code hivemq install} with no options file installs. */
    public ObjectNode defaults() {
        return complete(JSON.createObjectNode());
    }

    /** The rule of one option ({@code hivemq.listener_configuration.mqtt_port}), or a missing node. */
    public JsonNode rule(String field) {
        JsonNode rule = schema;
        for (String name : field.split("\\.")) {
            rule = rule.path("properties").path(name);
        }
        return rule;
    }

    /** Every leaf option with its rule, in schema order: {@code node.count -> {...}}. */
    public Map<String, JsonNode> leaves() {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        walk("", schema, (path, rule) -> result.put(path, rule));
        return result;
    }

    private static void walk(String path, JsonNode rule, BiConsumer<String, JsonNode> leaf) {
        if (rule.has("properties")) {
            rule.get("properties").fields().forEachRemaining(e ->
                    walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), leaf));
        } else {
            leaf.accept(path, rule);
        }
    }

    private List<FieldError> validate(JsonNode input) {
        Set<ValidationMessage> messages = validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        List<ValidationMessage> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
        for (ValidationMessage message : sorted) {
            List<String> path = names(message.getInstanceLocation());
            if ("additionalProperties".equals(message.getType())) {
                path.add(message.getProperty());
                errors.add(new FieldError(field(path), unknown(path, input)));
                continue;
            }
            JsonNode value = at(input, path);
            JsonNode rule = schema;
            for (String name : path) {
                rule = rule.path("properties").path(name);
            }
            errors.add(new FieldError(field(path), reason(message, rule, value)));
        }
        return errors;
    }

    private static String reason(ValidationMessage message, JsonNode rule, JsonNode value) {
        return switch (message.getType()) {
            case "type" -> "must be " + article(rule.path("type").asText()) + " but is " + describe(value);
            case "minimum" -> "must be at least " + rule.get("minimum").asText() + " but is " + value.asText();
            case "maximum" -> "must be at most " + rule.get("maximum").asText() + " but is " + value.asText();
            case "enum" -> "'" + value.asText() + "' is not one of " + rule.get("enum");
            case "pattern" -> "'" + value.asText() + "' does not match " + rule.get("pattern").asText()
                    + patternHint(rule);
            default -> message.getMessage();
        };
    }

    private static String patternHint(JsonNode rule) {
        String pattern = rule.get("pattern").asText();
        return pattern.startsWith("^/?[a-z0-9]") ? " (lower-case letters, digits and dashes, optionally in /folders)" : "";
    }

    /**
     * An unknown key. When the same name is an option elsewhere (the guide's TLS example nests {@code hivemq} inside
     * {@code service}), the error says where it belongs; otherwise it lists what this level allows.
     */
    private String unknown(List<String> path, JsonNode input) {
        String name = path.get(path.size() - 1);
        List<String> parent = path.subList(0, path.size() - 1);
        JsonNode given = at(input, path);
        List<String> places = new ArrayList<>();
        collectPlaces("", schema, name, places);
        if (!places.isEmpty()) {
            List<String> hints = new ArrayList<>();
            for (String place : places) {
                String hint = place;
                JsonNode placeRule = rule(place);
                if (given.isObject() && given.size() > 0 && placeRule.has("properties")) {
                    String first = given.fieldNames().next();
                    if (placeRule.get("properties").has(first)) {
                        hint = place + "." + first;
                    }
                }
                hints.add("`" + hint + (placeRule.has("properties") || given.isObject() ? "…`" : "`"));
            }
            return "`" + field(path) + "` is not an option; did you mean " + String.join(" or ", hints) + "?";
        }
        JsonNode properties = schema;
        for (String level : parent) {
            properties = properties.path("properties").path(level);
        }
        List<String> allowed = new ArrayList<>();
        properties.path("properties").fieldNames().forEachRemaining(allowed::add);
        return "unknown field (allowed: " + String.join(", ", allowed) + ")";
    }

    private static void collectPlaces(String path, JsonNode rule, String name, List<String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String here = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getKey().equals(name)) {
                into.add(here);
            }
            collectPlaces(here, e.getValue(), name, into);
        }
    }

    private static List<String> names(JsonNodePath location) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < location.getNameCount(); i++) {
            names.add(String.valueOf(location.getElement(i)));
        }
        return names;
    }

    private static JsonNode at(JsonNode input, List<String> path) {
        JsonNode node = input;
        for (String name : path) {
            node = node.path(name);
        }
        return node;
    }

    /** Completes an already valid tree with the schema's defaults; unknown keys cannot occur any more. */
    private static JsonNode fill(JsonNode rule, JsonNode value) {
        if (!value.isObject() || !rule.has("properties")) {
            return value;
        }
        ObjectNode result = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.get("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode childRule = property.getValue();
            JsonNode given = value.get(property.getKey());
            if (given == null || given.isNull()) {
                if (childRule.has("default")) {
                    result.set(property.getKey(), childRule.get("default").deepCopy());
                } else if (childRule.has("properties")) {
                    result.set(property.getKey(), fill(childRule, JSON.createObjectNode()));
                }
            } else {
                result.set(property.getKey(), fill(childRule, given));
            }
        }
        return result;
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

    /** A key that is empty or not a plain word is quoted, so that a refusal still names it: {"": 1} -> "". */
    static String field(List<String> path) {
        if (path.isEmpty()) {
            return "(options)";
        }
        List<String> shown = new ArrayList<>();
        for (String name : path) {
            shown.add(name.matches("[A-Za-z0-9_-]+") ? name : '"' + name.replace("\"", "\\\"") + '"');
        }
        return String.join(".", shown);
    }
}
