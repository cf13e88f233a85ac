package io.hivemqsuite.protocol.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code node.placement_constraint} in Marathon's constraint syntax: a JSON array of {@code [field, OPERATOR]} or
 * {@code [field, OPERATOR, value]} (one such array alone is read as a list of one), where the field is
 * {@code hostname} (also {@code @hostname}) or an agent attribute such as {@code zone}. Operators as Marathon
 * applies them to the agents the service's nodes already run on:
 * <ul>
 *   <li>{@code UNIQUE}: no other node on an agent with the same value;</li>
 *   <li>{@code CLUSTER value}: only agents whose value is {@code value} (without one: the value the placed nodes
 *       have);</li>
 *   <li>{@code LIKE regex} / {@code UNLIKE regex}: the whole value matches / does not match;</li>
 *   <li>{@code MAX_PER n}: at most n nodes per value;</li>
 *   <li>{@code GROUP_BY [n]}: spread evenly: an agent whose value holds more nodes than another value's is
 *       refused; with n, while fewer than n values hold a node, only a value holding none is admitted.</li>
 * </ul>
 * An agent without the attribute meets only {@code UNLIKE}. Parsed once by option validation (errors name the
 * reason) and by the Mesos backend's offer matching: one reading of the syntax.
 */
public record PlacementConstraints(List<Constraint> constraints) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final PlacementConstraints NONE = new PlacementConstraints(List.of());

    public enum Operator { UNIQUE, CLUSTER, LIKE, UNLIKE, MAX_PER, GROUP_BY }

    /** One constraint; {@code pattern} is the compiled value of LIKE/UNLIKE, {@code limit} the number of MAX_PER. */
    public record Constraint(String field, Operator operator, String value, Pattern pattern, int limit) {
        /** The agent's value of the field, empty when the agent lacks the attribute. */
        Optional<String> of(Agent agent) {
            return field.equals("hostname") ? Optional.of(agent.hostname())
                    : Optional.ofNullable(agent.attributes().get(field));
        }
    }

    /** An agent as constraints see it: its hostname and its attributes (text, or a scalar's number as text). */
    public record Agent(String hostname, Map<String, String> attributes) {
        public Agent {
            attributes = Map.copyOf(attributes);
        }
    }

    public PlacementConstraints {
        constraints = List.copyOf(constraints);
    }

    /**
     * @throws IllegalArgumentException saying which constraint is wrong and why
     */
    public static PlacementConstraints parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("is not JSON: " + text);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("must be a JSON array of constraints such as [[\"hostname\", \"UNIQUE\"]]"
                    + " but is " + text);
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.size() > 0 && root.get(0).isTextual()) {
            items.add(root);
        } else {
            root.forEach(items::add);
        }
        List<Constraint> parsed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parsed.add(constraint(items.get(i), i));
        }
        return new PlacementConstraints(parsed);
    }

    private static Constraint constraint(JsonNode c, int i) {
        String where = "constraint " + (i + 1) + " " + c;
        if (!c.isArray() || c.size() < 2 || c.size() > 3) {
            throw new IllegalArgumentException(where + " must be [field, OPERATOR] or [field, OPERATOR, value]");
        }
        for (JsonNode part : c) {
            if (!part.isTextual() && !part.isNumber()) {
                throw new IllegalArgumentException(where + ": every part must be a string");
            }
        }
        String field = c.get(0).asText().strip();
        if (field.isEmpty()) {
            throw new IllegalArgumentException(where + ": the field is empty (hostname or an agent attribute)");
        }
        if (field.equals("@hostname")) {
            field = "hostname";
        }
        Operator operator;
        try {
            operator = Operator.valueOf(c.get(1).asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown operator " + c.get(1) + " (one of UNIQUE, CLUSTER,"
                    + " LIKE, UNLIKE, MAX_PER, GROUP_BY)");
        }
        String value = c.size() == 3 ? c.get(2).asText() : null;
        Pattern pattern = null;
        int limit = 0;
        switch (operator) {
            case UNIQUE -> {
                if (value != null) {
                    throw new IllegalArgumentException(where + ": UNIQUE takes no value");
                }
            }
            case LIKE, UNLIKE -> {
                if (value == null) {
                    throw new IllegalArgumentException(where + ": " + operator + " needs a regular expression");
                }
                try {
                    pattern = Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": " + value + " is not a regular expression ("
                            + e.getDescription() + ")");
                }
            }
            case MAX_PER, GROUP_BY -> {
                if (value == null && operator == Operator.MAX_PER) {
                    throw new IllegalArgumentException(where + ": MAX_PER needs a number");
                }
                if (value != null) {
                    try {
                        limit = Integer.parseInt(value.strip());
                    } catch (NumberFormatException e) {
                        limit = 0;
                    }
                    if (limit < 1) {
                        throw new IllegalArgumentException(where + ": " + operator + " needs a positive number, not "
                                + value);
                    }
                }
            }
            case CLUSTER -> {
                // with or without a value
            }
        }
        return new Constraint(field, operator, value, pattern, limit);
    }

    public boolean isEmpty() {
        return constraints.isEmpty();
    }

    /**
     * Whether one more node may go to {@code offered}, given the agents the service's other nodes are on.
     *
     * @return empty when every constraint admits it, else the first constraint that refuses it
     */
    public Optional<Constraint> refusing(Agent offered, Collection<Agent> placed) {
        for (Constraint c : constraints) {
            if (!admits(c, offered, placed)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static boolean admits(Constraint c, Agent offered, Collection<Agent> placed) {
        Optional<String> value = c.of(offered);
        if (c.operator() == Operator.UNLIKE) {
            return value.isEmpty() || !c.pattern().matcher(value.get()).matches();
        }
        if (value.isEmpty()) {
            return false;
        }
        String v = value.get();
        return switch (c.operator()) {
            case LIKE -> c.pattern().matcher(v).matches();
            case UNIQUE -> placed.stream().noneMatch(a -> c.of(a).map(v::equals).orElse(false));
            case MAX_PER -> placed.stream().filter(a -> c.of(a).map(v::equals).orElse(false)).count() < c.limit();
            case CLUSTER -> c.value() != null ? c.value().equals(v)
                    : placed.stream().allMatch(a -> c.of(a).map(v::equals).orElse(false));
            case GROUP_BY -> {
                Map<String, Integer> perValue = new HashMap<>();
                placed.forEach(a -> c.of(a).ifPresent(x -> perValue.merge(x, 1, Integer::sum)));
                int here = perValue.getOrDefault(v, 0);
                // GROUP_BY n: while fewer than n values hold a node, only a value holding none is admitted
                if (c.limit() > perValue.size() && here > 0) {
                    yield false;
                }
                yield here <= perValue.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            }
            case UNLIKE -> throw new IllegalStateException("handled above");
        };
    }
}
