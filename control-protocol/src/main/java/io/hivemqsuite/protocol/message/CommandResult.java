package io.hivemqsuite.protocol.message;

import java.util.Map;

/**
 * A node agent's answer to a {@link NodeCommand}, sent to the request's response topic with its
 * correlation data.
 *
 * @param commandId the id of the command answered
 * @param node      the index of the answering node
 * @param ok        whether the command had its effect
 * @param message   a sentence for humans: what was done, or why not
 * @param data      results by name (for {@code status}: the node status fields)
 */
public record CommandResult(String commandId, int node, boolean ok, String message, Map<String, String> data) {
    public CommandResult {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    public static CommandResult ok(NodeCommand command, int node, String message, Map<String, String> data) {
        return new CommandResult(command.id(), node, true, message, data);
    }

    public static CommandResult failed(NodeCommand command, int node, String message) {
        return new CommandResult(command.id(), node, false, message, Map.of());
    }
}
