package io.hivemqsuite.extension.routing;

import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * Which nodes this broker routes to: one {@link PeerLink} per other node of the agent's peer table
 * ({@link PeerTable#FILE_NAME} in the extension folder), followed live. The agent rewrites the table when the target
 * configuration adds or removes nodes, so a scale-out or a decommission needs no broker restart.
 */
final class PeerMembership {
    private static final Logger LOG = Logger.getLogger(PeerMembership.class.getName());

    private final int self;
    private final String service;
    private final String secret;
    private final ExtensionSettings.Routing settings;
    private final Path extensionHome;
    private final OriginJournal journal;
    private final DigestAcks digestAcks;
    private final WillRelay wills;
    private final IntConsumer linkUp;
    /** Read by the other parts as they are at each use (a claim, a catch-up, a dispatch). */
    private final Map<Integer, PeerLink> links = new ConcurrentHashMap<>();
    private volatile FileTime peersModified;
    /** This broker's own plain listener (host:port) from the peer table, for the relay's and the drain's clients. */
    private volatile String ownAddress;

    /**
     * @param linkUp called with a peer's index whenever its link (re)connects: retained catch-up starts there
     */
    PeerMembership(int self, String service, String secret, ExtensionSettings.Routing settings, Path extensionHome,
                   OriginJournal journal, DigestAcks digestAcks, WillRelay wills, IntConsumer linkUp) {
        this.self = self;
        this.service = service;
        this.secret = secret;
        this.settings = settings;
        this.extensionHome = extensionHome;
        this.journal = journal;
        this.digestAcks = digestAcks;
        this.wills = wills;
        this.linkUp = linkUp;
    }

    Map<Integer, PeerLink> links() {
        return links;
    }

    String ownAddress() {
        return ownAddress;
    }

    /** The scheduled re-read: a table that cannot be read keeps the current peers. */
    void reloadSafely() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warning("cannot read " + PeerTable.FILE_NAME + ": " + e.getMessage() + " (keeping the current peers)");
        }
    }

    /** Opens links to new peers and closes those of nodes that left or moved; nothing when the table is unchanged. */
    void reload() {
        Path file = extensionHome.resolve(PeerTable.FILE_NAME);
        FileTime modified;
        try {
            modified = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
        } catch (IOException e) {
            return;
        }
        if (modified.equals(peersModified)) {
            return;
        }
        PeerTable table = PeerTable.read(extensionHome);
        peersModified = modified;
        for (Map.Entry<Integer, PeerLink> e : links.entrySet()) {
            String address = table.nodes().get(e.getKey());
            if (address == null || !address.equals(e.getValue().address)) {
                LOG.info("node " + e.getKey() + " left the peer table; closing its routing link");
                links.remove(e.getKey());
                digestAcks.forget(e.getKey());
                e.getValue().abandon();
            }
        }
        String own = table.nodes().get(self);
        ownAddress = own;
        if (own != null && table.nodes().size() > 1) {
            wills.start(own, secret);
        }
        for (Map.Entry<Integer, String> node : table.nodes().entrySet()) {
            int peer = node.getKey();
            if (peer != self && !links.containsKey(peer)) {
                open(peer, node.getValue());
            }
        }
    }

    private void open(int peer, String address) {
        try {
            PeerLink link = new PeerLink(self, peer, address, service, ControlTopics.route(service, self),
                    ControlTopics.subscriptions(service, peer), secret,
                    new PeerQueue(peer, settings.peerQueueMaxMessages(), settings.peerQueueMaxBytes(),
                            seq -> journal.settled(peer, seq)),
                    linkUp::accept);
            links.put(peer, link);
            link.start();
            LOG.info("routing to node " + peer + " at " + address);
        } catch (Exception e) {
            LOG.warning("cannot create the routing link to node " + peer + ": " + e);
        }
    }

    /** A graceful stop gives the links up to 3 s together to deliver what they hold. */
    void stop() {
        long deadline = System.currentTimeMillis() + 3000;
        links.values().forEach(l -> l.drain(Math.max(0, deadline - System.currentTimeMillis())));
        links.values().forEach(PeerLink::stop);
        links.clear();
    }
}
