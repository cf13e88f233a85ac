package io.hivemqsuite.protocol.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.message.ControlJson;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP conventions of the plans API, shared by every service that serves plans (scheduler-svc, sidecar-svc)
 * so that scripts written against one work against the other, as they did against dcos-commons.
 */
public final class PlanHttp {
    private PlanHttp() {
    }

    /** 200 when COMPLETE, 417 on ERROR or WAITING, 202 otherwise: scripts can poll on the code alone. */
    public static int httpStatus(Status status) {
        return switch (status) {
            case COMPLETE -> 200;
            case ERROR, WAITING -> 417;
            default -> 202;
        };
    }

    /** What a verb answers; repeating a verb is not an error. */
    public static Map<String, String> received(String verb) {
        return Map.of("message", "Received cmd: " + verb);
    }

    /**
     * A start body: a JSON object of scalar parameters ({@code {"URL": "..."}}); empty or {@code null} means none.
     *
     * @throws PlanRequestException naming {@code (body)} or the parameter that is not a scalar
     */
    public static Map<String, String> parameters(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        JsonNode tree;
        try {
            tree = ControlJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new PlanRequestException("(body)", "the body is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree == null || tree.isNull()) {
            return Map.of();
        }
        if (!tree.isObject()) {
            throw new PlanRequestException("(body)", "the body must be a JSON object of parameters, e.g. "
                    + "{\"URL\": \"...\"}");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new PlanRequestException(field.getKey(), "parameter " + field.getKey()
                        + " must be a string, number or boolean");
            }
            result.put(field.getKey(), field.getValue().asText());
        }
        return result;
    }
}
