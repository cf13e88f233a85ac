package io.hivemqsuite.protocol.routing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.node.PodNames;

import java.nio.charset.StandardCharsets;
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
 * @param staleRetained    routed retained writes delivered live but not stored, because a newer write had won
 * @param sharedSuppressed shared-subscription deliveries dropped here because another node delivers the group
 * @param journalOwed      QoS 1/2 messages on disk that some peer has not acknowledged yet (-1: no journal)
 * @param journalFailures  messages that could not be written to the journal (kept in memory only)
 * @param peers            per peer node index (as a string: JSON object keys)
 */
public record RoutingCounters(int node, boolean digest, int localFilters, long received, long intakeFailures,
                              long catchUpStored, long staleRetained, long sharedSuppressed, long journalOwed, long journalFailures,
                              Map<String, Peer> peers) {

    /**
     * Strict, unlike the lenient {@link ControlJson#read}: the router (broker-extension {@code Router.statsJson})
     * and this record are one contract, so a field either side adds, drops or renames fails here instead of
     * reading as a silent 0.
     */
    private static final ObjectReader STRICT = ControlJson.mapper().readerFor(RoutingCounters.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public RoutingCounters {
        peers = peers == null ? Map.of() : Map.copyOf(new TreeMap<>(peers));
    }

    /** The router's retained JSON; {@link IllegalArgumentException} naming the field when it is not exactly that. */
    public static RoutingCounters read(byte[] json) {
        try {
            RoutingCounters counters = STRICT.readValue(json);
            if (counters == null) {
                throw new IllegalArgumentException("not valid RoutingCounters: null");
            }
            return counters;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not valid RoutingCounters: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + " in '"
                    + new String(json, StandardCharsets.UTF_8) + "'", e);
        }
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
