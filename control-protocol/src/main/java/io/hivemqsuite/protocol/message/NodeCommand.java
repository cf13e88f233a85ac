package io.hivemqsuite.protocol.message;

import java.util.Map;

/**
 * A request to one node agent, published on {@code ControlTopics.commands(service, node)} as an MQTT 5
 * request (response topic + correlation data). The {@code id} makes it idempotent: an agent that has
 * already executed a command id answers with the stored result instead of doing it again.
 *
 * @param id     unique per intended effect; a retry reuses it
 * @param type   what to do, e.g. {@code status}
 * @param params the command's parameters, by name
 */
public record NodeCommand(String id, String type, Map<String, String> params) {
    public static final String STATUS = "status";

    public NodeCommand {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("command id must not be empty");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("command type must not be empty");
        }
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
