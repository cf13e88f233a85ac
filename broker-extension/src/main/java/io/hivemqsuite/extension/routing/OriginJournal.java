package io.hivemqsuite.extension.routing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The origin's promise to its peers: every QoS 1/2 envelope is on disk ({@link RouteJournal}) before the publisher's
 * PUBACK, settled per peer as the peer acknowledges it, and queued again at the next start if it was not.
 * Without a journal (it could not be opened) the node still routes, as before it had one: only an origin crash can
 * then lose messages.
 */
final class OriginJournal {
    private static final Logger LOG = Logger.getLogger(OriginJournal.class.getName());

    private final RouteJournal journal;
    /** What the journal still owed the peers when this broker last stopped; queued again once the links exist. */
    private final List<RouteJournal.Pending> owedAtStart = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();

    OriginJournal(Path dir) {
        this.journal = open(dir);
    }

    private RouteJournal open(Path dir) {
        try {
            return RouteJournal.open(dir, owedAtStart);
        } catch (RuntimeException e) {
            LOG.severe("routing journal unavailable (" + e.getMessage() + "): queued messages for peers are kept in "
                    + "memory only and are lost if this broker dies");
            owedAtStart.clear();
            return null;
        }
    }

    /**
     * The envelope as queued for {@code targets}: with its journal sequence when it is QoS 1/2 and the write worked.
     * QoS 0 (most of the traffic) returns at once, before anything is allocated for the journal.
     */
    Envelope append(Envelope envelope, List<PeerLink> targets) {
        if (envelope.qos() == 0 || journal == null) {
            return envelope;
        }
        int[] peers = new int[targets.size()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = targets.get(i).peer;
        }
        try {
            return envelope.withJournalSeq(journal.append(envelope, peers, envelope.receivedNanos()));
        } catch (RuntimeException e) {
            // Counted always, logged at the first failure and then every 10000th: a full disk must not flood.
            if (failures.incrementAndGet() % 10_000 == 1) {
                LOG.log(Level.WARNING, "routing journal write failed (" + failures.get() + " so far); "
                        + "messages are queued in memory only until it works again", e);
            }
            return envelope;
        }
    }

    /** Before any client can publish: what an earlier run of this broker acknowledged but had not delivered. */
    void requeueOwed(Map<Integer, PeerLink> links) {
        int requeued = 0;
        for (RouteJournal.Pending owed : owedAtStart) {
            for (int peer : owed.peers()) {
                PeerLink link = links.get(peer);
                if (link != null) {
                    link.queue.offer(owed.envelope().withJournalSeq(owed.seq()));
                    requeued++;
                } else {
                    settled(peer, owed.seq()); // that node is no longer a peer
                }
            }
        }
        if (!owedAtStart.isEmpty()) {
            LOG.info("routing journal: " + owedAtStart.size() + " messages acknowledged but not delivered before the "
                    + "last stop; queued again for " + requeued + " peer copies");
        }
        owedAtStart.clear();
    }

    void settled(int peer, long journalSeq) {
        if (journal != null) {
            journal.settled(peer, journalSeq);
        }
    }

    void checkpoint() {
        if (journal == null) {
            return;
        }
        try {
            journal.checkpoint();
        } catch (RuntimeException e) {
            LOG.warning("routing journal checkpoint failed (it is retried): " + e.getMessage());
        }
    }

    /** Copies still owed to peers, or -1 when there is no journal. */
    long owed() {
        return journal == null ? -1 : journal.owed();
    }

    long failures() {
        return failures.get();
    }

    void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
