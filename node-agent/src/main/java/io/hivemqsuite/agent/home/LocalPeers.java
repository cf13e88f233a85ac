package io.hivemqsuite.agent.home;

import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.routing.PeerTable;

import java.util.Map;
import java.util.TreeMap;

/**
 * The router's peers in local mode: every node of the spec, at the address {@link LocalLayout} gives it in this
 * agent's slot (the third octet of the agent's own address), on the spec's MQTT port.
 */
public final class LocalPeers {
    private LocalPeers() {
    }

    public static PeerTable of(ServiceOptions options, String ownAddress) {
        int port = options.hivemq().listeners().mqttPort();
        Map<Integer, String> nodes = new TreeMap<>();
        for (int i = 0; i < options.node().count(); i++) {
            nodes.put(i, LocalLayout.peerAddress(ownAddress, i) + ":" + port);
        }
        return new PeerTable(nodes);
    }
}
