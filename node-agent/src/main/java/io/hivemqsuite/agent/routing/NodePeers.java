package io.hivemqsuite.agent.routing;

import io.hivemqsuite.agent.config.AgentSettings;
import io.hivemqsuite.agent.home.ExtensionInstaller;
import io.hivemqsuite.agent.home.LocalPeers;
import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.routing.PeerTable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which nodes this node's router links to. The scheduler owns the membership (it follows the target
 * {@code node.count}, keeps a leaving node until it is gone, and knows the nodes' real addresses) and sends a new
 * table whenever the one this agent reports in its status differs. The agent keeps the last table it was given in
 * {@code <nodeDir>/agent/peers.properties}, so a restarted agent starts its broker with the current membership
 * rather than the one its spec file was written with, and writes it into the installed extension, whose router
 * re-reads it within 2 s: no broker restart.
 */
@Singleton
public class NodePeers {
    private static final Logger LOG = Logger.getLogger(NodePeers.class);

    private final AgentSettings settings;
    private final NodeStatusBoard board;
    /** The broker's extensions folder while this node routes; null otherwise. */
    private Path extensionsDir;
    private PeerTable current;

    @Inject
    public NodePeers(AgentSettings settings, NodeStatusBoard board) {
        this.settings = settings;
        this.board = board;
    }

    /** The table to start the broker with: the scheduler's last one if it ever sent one, else the spec's nodes. */
    public synchronized PeerTable initial(ServiceOptions options) {
        PeerTable kept = PeerTable.read(keptFolder());
        if (!kept.nodes().isEmpty() && kept.nodes().containsKey(settings.nodeIndex())) {
            return kept;
        }
        if (options.service().mesos()) {
            // Real agents are not on loopback: a mesos node starts alone; the scheduler's membership adds the others.
            return new PeerTable(Map.of(settings.nodeIndex(),
                    settings.address() + ":" + options.hivemq().listeners().mqttPort()));
        }
        return LocalPeers.of(options, settings.address());
    }

    /** The extension was installed with {@code table}: from now on changes go into {@code extensionsDir}. */
    public synchronized void routing(Path extensionsDir, PeerTable table) {
        this.extensionsDir = extensionsDir;
        this.current = table;
        board.peers(table);
    }

    /**
     * A new membership from the scheduler. Kept on disk first, then handed to the running router.
     *
     * @return true when it changed anything
     * @throws IllegalStateException    when this node does not route
     * @throws IllegalArgumentException when the table does not name this node
     */
    public synchronized boolean apply(PeerTable table) {
        if (extensionsDir == null) {
            throw new IllegalStateException("node " + settings.nodeIndex() + " does not route (routing is off or its "
                    + "broker extension is not installed)");
        }
        if (!table.nodes().containsKey(settings.nodeIndex())) {
            throw new IllegalArgumentException("the peer table does not name this node (" + settings.nodeIndex()
                    + "): " + table.nodes().keySet());
        }
        if (table.equals(current)) {
            return false;
        }
        try {
            Files.createDirectories(keptFolder());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + keptFolder(), e);
        }
        table.write(keptFolder());
        ExtensionInstaller.updatePeers(extensionsDir, table);
        LOG.infof("peer table changed: %s -> %s", current == null ? "-" : current.nodes(), table.nodes());
        current = table;
        board.peers(table);
        return true;
    }

    private Path keptFolder() {
        return settings.nodeDir().resolve("agent");
    }
}
