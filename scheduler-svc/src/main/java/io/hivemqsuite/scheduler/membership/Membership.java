package io.hivemqsuite.scheduler.membership;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.scheduler.pod.Pods;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer table every node's router should have: each member node at the address the backend gives it, on the MQTT
 * port its agent last reported (so a rolling port change keeps the links to nodes not restarted yet), else the
 * target's port. Members are the target's nodes plus any node that is leaving but still runs.
 */
public final class Membership {
    private static final String MQTT = "mqtt";

    private final Pods pods;
    private final Map<Integer, Integer> knownPorts = new ConcurrentHashMap<>();

    public Membership(Pods pods) {
        this.pods = pods;
    }

    public PeerTable target() {
        ServiceOptions spec = pods.spec();
        Set<Integer> members = pods.members();
        Map<Integer, String> nodes = new TreeMap<>();
        for (int i : members) {
            int port = pods.health().status(i).map(NodeStatus::listeners).map(l -> l.get(MQTT))
                    .map(NodeStatus.ListenerStatus::port).orElse(0);
            if (port > 0) {
                knownPorts.put(i, port);
            } else {
                port = knownPorts.getOrDefault(i, spec.hivemq().listeners().mqttPort());
            }
            nodes.put(i, pods.backend().nodeAddress(i) + ":" + port);
        }
        knownPorts.keySet().retainAll(members);
        return new PeerTable(nodes);
    }
}
