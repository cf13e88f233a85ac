package io.hivemqsuite.agent.control;

import io.hivemqsuite.agent.sidecar.SidecarExecutor;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.message.NodeStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Executes one NodeCommand; knows every command type this agent serves. */
public final class CommandHandler {
    private final int node;
    private final Supplier<NodeStatus> status;
    private final CommandLog log;
    private final SidecarExecutor sidecar;

    public CommandHandler(int node, Supplier<NodeStatus> status, CommandLog log) {
        this(node, status, log, null);
    }

    public CommandHandler(int node, Supplier<NodeStatus> status, CommandLog log, SidecarExecutor sidecar) {
        this.node = node;
        this.status = status;
        this.log = log;
        this.sidecar = sidecar;
    }

    /** Idempotent by command id: a known id gets the stored result, nothing is done again. */
    public CommandResult handle(NodeCommand command) {
        if (sidecar != null && SidecarExecutor.handles(command.type())) {
            // a sidecar change outlives one request (broker restart): the executor keeps its own running/done books
            return sidecar.handle(command);
        }
        return log.find(command.id()).orElseGet(() -> {
            CommandResult result = execute(command);
            log.remember(command.id(), result);
            return result;
        });
    }

    private CommandResult execute(NodeCommand command) {
        if (NodeCommand.STATUS.equals(command.type())) {
            NodeStatus s = status.get();
            Map<String, String> data = new LinkedHashMap<>();
            data.put("node", Integer.toString(s.node()));
            data.put("pod", s.pod());
            data.put("address", s.address());
            data.put("state", s.state().name());
            data.put("brokerPid", Long.toString(s.brokerPid()));
            data.put("brokerStarts", Integer.toString(s.brokerStarts()));
            s.listeners().forEach((name, l) -> {
                data.put("listener." + name + ".port", Integer.toString(l.port()));
                data.put("listener." + name + ".accepting", Boolean.toString(l.accepting()));
            });
            data.put("message", s.message());
            data.put("updatedAt", Long.toString(s.updatedAt()));
            return CommandResult.ok(command, node, "node " + node + " is " + s.state(), data);
        }
        return CommandResult.failed(command, node, "unknown command type '" + command.type()
                + "' (this agent knows: " + NodeCommand.STATUS
                + (sidecar == null ? "" : ", sidecar-apply, sidecar-check") + ")");
    }
}
