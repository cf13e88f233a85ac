package io.hivemqsuite.protocol.message;

import io.hivemqsuite.protocol.routing.RoutingCounters;

import java.util.Map;

/**
 * What a node agent reports about its node: retained on {@code ControlTopics.status(service, node)} and
 * answered by the agent's {@code GET /v1/node/status}.
 *
 * @param node         the node index
 * @param pod          the pod name ({@code hivemq-0})
 * @param address      the node's host address
 * @param state        the node's lifecycle state
 * @param brokerPid    the broker process id, 0 when none runs
 * @param brokerStarts how often the agent has started the broker since the agent started
 * @param listeners    per listener endpoint name ({@code mqtt}): its port and whether it accepts connections
 * @param message      a sentence for humans about the current state
 * @param updatedAt    epoch milliseconds of this report
 * @param routing      the router's counters (cross-node routing), null when the node does not route
 * @param peers        the peer table the agent gave its broker's router (node index as a string to
 *                     {@code host:port}, this node included), null when the node does not route; the scheduler
 *                     compares it with the target membership and sends a new one when they differ
 * @param brokerVersion the HiveMQ Community Edition release of the broker the agent runs (read from its classpath),
 *                      null when not known
 */
public record NodeStatus(
        int node,
        String pod,
        String address,
        NodeState state,
        long brokerPid,
        int brokerStarts,
        Map<String, ListenerStatus> listeners,
        String message,
        long updatedAt,
        RoutingCounters routing,
        Map<String, String> peers,
        String brokerVersion) {

    public NodeStatus {
        listeners = listeners == null ? Map.of() : Map.copyOf(listeners);
        peers = peers == null ? null : Map.copyOf(peers);
    }

    /** A status that does not name the broker's release. */
    public NodeStatus(int node, String pod, String address, NodeState state, long brokerPid, int brokerStarts,
                      Map<String, ListenerStatus> listeners, String message, long updatedAt, RoutingCounters routing,
                      Map<String, String> peers) {
        this(node, pod, address, state, brokerPid, brokerStarts, listeners, message, updatedAt, routing, peers, null);
    }

    /** A status without a peer table (a node that does not route, or a reader that does not care). */
    public NodeStatus(int node, String pod, String address, NodeState state, long brokerPid, int brokerStarts,
                      Map<String, ListenerStatus> listeners, String message, long updatedAt, RoutingCounters routing) {
        this(node, pod, address, state, brokerPid, brokerStarts, listeners, message, updatedAt, routing, null, null);
    }

    /** A status without routing counters (single node, routing off, or not known yet). */
    public NodeStatus(int node, String pod, String address, NodeState state, long brokerPid, int brokerStarts,
                      Map<String, ListenerStatus> listeners, String message, long updatedAt) {
        this(node, pod, address, state, brokerPid, brokerStarts, listeners, message, updatedAt, null, null, null);
    }

    public record ListenerStatus(int port, boolean accepting) {
    }

    public boolean healthy() {
        return state == NodeState.HEALTHY;
    }
}
