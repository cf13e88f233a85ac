package io.hivemqsuite.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.CliException;

/** One answer of a service API: the HTTP status and the body as sent. */
public record ApiResponse(int status, String body) {

    public JsonNode json() {
        return Json.parse(body);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body, or the server's own message as a {@link CliException} when the call was refused. */
    public ApiResponse requireOk() {
        if (!ok()) {
            throw new CliException(errorText());
        }
        return this;
    }

    /** {@code HTTP 404: unknown plan foo (field: plan)}: the server's message, never a raw stack. */
    public String errorText() {
        String text = body == null ? "" : body.strip();
        try {
            JsonNode node = Json.parse(text);
            if (node.hasNonNull("message")) {
                text = node.get("message").asText();
                if (node.hasNonNull("field")) {
                    text += " (field: " + node.get("field").asText() + ")";
                }
            }
        } catch (RuntimeException notJson) {
            // plain-text or empty bodies are shown as they are
        }
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
    }
}
