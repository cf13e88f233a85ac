package io.hivemqsuite.cli.plan;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;

/**
 * A plan as the tree {@code dcos hivemq plan status} prints:
 * <pre>
 * deploy (serial strategy) (IN_PROGRESS)
 * └─ node-deploy (serial strategy) (IN_PROGRESS)
 *    ├─ hivemq-0:[node] (COMPLETE)
 *    └─ hivemq-1:[node] (STARTING: waiting for the broker)
 * </pre>
 */
public final class PlanTree {
    private PlanTree() {
    }

    public static String render(JsonNode plan) {
        StringBuilder text = new StringBuilder();
        text.append(label(plan.path("name").asText("plan"), plan));
        for (JsonNode error : plan.path("errors")) {
            text.append("\n  error: ").append(error.asText());
        }
        Iterator<JsonNode> phases = plan.path("phases").iterator();
        while (phases.hasNext()) {
            JsonNode phase = phases.next();
            boolean lastPhase = !phases.hasNext();
            text.append('\n').append(lastPhase ? "└─ " : "├─ ").append(label(phase.path("name").asText(), phase));
            Iterator<JsonNode> steps = phase.path("steps").iterator();
            while (steps.hasNext()) {
                JsonNode step = steps.next();
                text.append('\n').append(lastPhase ? "   " : "│  ").append(steps.hasNext() ? "├─ " : "└─ ")
                        .append(step.path("name").asText()).append(" (").append(step.path("status").asText());
                String message = step.path("message").asText("");
                if (!message.isBlank()) {
                    text.append(": ").append(message);
                }
                text.append(')');
            }
        }
        return text.toString();
    }

    private static String label(String name, JsonNode node) {
        String strategy = node.path("strategy").asText("");
        return name + (strategy.isEmpty() ? "" : " (" + strategy + " strategy)") + " (" + node.path("status").asText() + ")";
    }
}
