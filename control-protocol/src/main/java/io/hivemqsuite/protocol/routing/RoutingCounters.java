package io.hivemqsuite.protocol.routing;

import io.hivemqsuite.protocol.node.PodNames;

import java.util.Map;
import java.util.TreeMap;

/**
 * The router's counters as the broker extension publishes them, retained, on
 * {@code ControlTopics.routing(service, node)} (JSON, field names as below). The node agent reads them into its
 * node status and metrics, so an overflowing peer queue is visible where operators look.
 *
 * @param node             the node whose router counted
 * @param digest           whether the subscription digest is on
 * @param localFilters     distinct topic filters this node advertises
 * @param received         routed messages taken in from peers
 * @param intakeFailures   routed messages that could not be published here
 * @param catchUpStored    retained messages stored from a peer's catch-up
 * @param sharedSuppressed shared-subscription deliveries dropped here because another node delivers the group
 * @param journalOwed      QoS 1/2 messages on disk that some peer has not acknowledged yet (-1: no journal)
 * @param journalFailures  messages that could not be written to the journal (kept in memory only)
 * @param peers            per peer node index (as a string: JSON object keys)
 */
public record RoutingCounters(int node, boolean digest, int localFilters, long received, long intakeFailures,
                              long catchUpStored, long sharedSuppressed, long journalOwed, long journalFailures,
                              Map<String, Peer> peers) {

    public RoutingCounters {
        peers = peers == null ? Map.of() : Map.copyOf(new TreeMap<>(peers));
    }

    /**
     * @param connected       whether the link to the peer is up
     * @param digestFilters   filters in the peer's digest, -1 while unknown
     * @param enqueued        envelopes queued for the peer since the broker started
     * @param sent            envelopes the link sent
     * @param queued          envelopes waiting now
     * @param queuedBytes     their size
     * @param dropped         envelopes dropped because the queue was full (oldest first)
     * @param expired         envelopes whose message expiry passed while queued
     * @param skippedByDigest publishes not sent because the peer had no matching subscription
     */
    public record Peer(boolean connected, int digestFilters, long enqueued, long sent, long queued, long queuedBytes,
                       long dropped, long expired, long skippedByDigest) {
    }

    /** The pod a peer key names ({@code "2"} -> {@code hivemq-2}); a key that is not an index stays as it is. */
    public static String pod(String peerKey) {
        return peerKey.matches("\\d{1,9}") ? PodNames.pod(Integer.parseInt(peerKey)) : peerKey;
    }

    /** Messages dropped for all peers together: an overflow anywhere is a loss a user would notice. */
    public long dropped() {
        return peers.values().stream().mapToLong(Peer::dropped).sum();
    }
}
