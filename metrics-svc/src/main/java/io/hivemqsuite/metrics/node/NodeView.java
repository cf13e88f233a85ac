package io.hivemqsuite.metrics.node;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.routing.RoutingCounters;

/**
 * One node at one moment, as the exposition and the StatsD push see it. A node that is not reporting carries no
 * snapshot and no routing counters: its series vanish instead of freezing at their last values.
 *
 * @param node       node index
 * @param reporting  its snapshots arrive in time (metrics on), or its broker is connected (metrics off)
 * @param connected  metrics-svc holds a connection to its broker
 * @param snapshot   the latest snapshot while fresh, else null
 * @param ageSeconds seconds since the latest snapshot arrived, -1 when none ever did
 * @param routing    the router's counters while reporting, else null
 * @param status     the agent's retained status while connected, else null
 */
public record NodeView(int node, boolean reporting, boolean connected, MetricsSnapshot snapshot, double ageSeconds,
                       RoutingCounters routing, NodeStatus status) {
    public String pod() {
        return PodNames.pod(node);
    }
}
