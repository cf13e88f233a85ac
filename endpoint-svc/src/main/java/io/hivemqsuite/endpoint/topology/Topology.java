package io.hivemqsuite.endpoint.topology;

import io.hivemqsuite.protocol.endpoint.NodeAddress;
import io.hivemqsuite.protocol.endpoint.ServiceEndpoints;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.options.ServiceOptions;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service looks like right now: its target spec (from the scheduler) and the status of every node whose
 * agent answered. A node whose agent does not answer is absent: it has no address, no DNS record, no VIP traffic.
 *
 * @param options  the target spec; null until the scheduler answered once
 * @param statuses node index to the agent's last answer, for the nodes that answered this round
 */
public record Topology(ServiceOptions options, Map<Integer, NodeStatus> statuses) {
    public static final Topology UNKNOWN = new Topology(null, Map.of());

    public Topology {
        statuses = Map.copyOf(new TreeMap<>(statuses));
    }

    public boolean known() {
        return options != null;
    }

    public int nodeCount() {
        return options == null ? 0 : options.node().count();
    }

    /** Nodes that run (their agent answers and has not stopped the broker), like running tasks in Mesos-DNS. */
    public List<NodeAddress> running() {
        return new TreeMap<>(statuses).values().stream()
                .filter(s -> s.state() != NodeState.STOPPED)
                .map(s -> new NodeAddress(s.node(), s.address()))
                .toList();
    }

    public ServiceEndpoints endpoints() {
        if (options == null) {
            throw new IllegalStateException("the service's spec is not known yet");
        }
        return new ServiceEndpoints(options, running());
    }
}
