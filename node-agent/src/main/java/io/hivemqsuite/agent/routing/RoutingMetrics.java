package io.hivemqsuite.agent.routing;

import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The router's counters as Prometheus metrics on the agent's {@code /q/metrics} (names {@code hivemq_suite_routing_*},
 * per peer tagged {@code peer="hivemq-<i>"}), so a dashboard sees queues grow and overflows happen. Meters are
 * registered when a counter first appears and read the latest counters on every scrape.
 */
@Singleton
public class RoutingMetrics {
    private final MeterRegistry registry;
    private final Set<String> peers = ConcurrentHashMap.newKeySet();
    private volatile RoutingCounters latest;

    @Inject
    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void update(RoutingCounters counters) {
        boolean first = latest == null;
        latest = counters;
        if (first) {
            counter("hivemq_suite_routing_received", "routed messages taken in from peers", RoutingCounters::received);
            counter("hivemq_suite_routing_intake_failures", "routed messages that could not be published here",
                    RoutingCounters::intakeFailures);
            counter("hivemq_suite_routing_shared_suppressed",
                    "shared-subscription deliveries left to the node that delivers the group",
                    RoutingCounters::sharedSuppressed);
            counter("hivemq_suite_routing_journal_failures", "messages that could not be written to the routing journal",
                    RoutingCounters::journalFailures);
            Gauge.builder("hivemq_suite_routing_journal_owed", this, m -> m.latest.journalOwed())
                    .description("QoS 1/2 messages on disk that a peer has not acknowledged yet").register(registry);
        }
        for (String peer : counters.peers().keySet()) {
            if (peers.add(peer)) {
                registerPeer(peer);
            }
        }
    }

    private void registerPeer(String peer) {
        String tag = RoutingCounters.pod(peer);
        peerCounter(peer, tag, "hivemq_suite_routing_sent", "envelopes sent to the peer", RoutingCounters.Peer::sent);
        peerCounter(peer, tag, "hivemq_suite_routing_dropped", "envelopes dropped because the peer queue was full",
                RoutingCounters.Peer::dropped);
        peerCounter(peer, tag, "hivemq_suite_routing_expired", "envelopes whose message expired while queued",
                RoutingCounters.Peer::expired);
        peerCounter(peer, tag, "hivemq_suite_routing_skipped_by_digest", "publishes the peer had no subscription for",
                RoutingCounters.Peer::skippedByDigest);
        peerGauge(peer, tag, "hivemq_suite_routing_queued", "envelopes waiting for the peer", RoutingCounters.Peer::queued);
        peerGauge(peer, tag, "hivemq_suite_routing_queued_bytes", "bytes waiting for the peer",
                RoutingCounters.Peer::queuedBytes);
        peerGauge(peer, tag, "hivemq_suite_routing_peer_connected", "1 while the link to the peer is up",
                p -> p.connected() ? 1 : 0);
    }

    private void counter(String name, String help, ToDoubleFunction<RoutingCounters> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.latest)).description(help).register(registry);
    }

    private void peerCounter(String peer, String tag, String name, String help, ToDoubleFunction<RoutingCounters.Peer> value) {
        FunctionCounter.builder(name, this, m -> m.peerValue(peer, value)).description(help).tag("peer", tag)
                .register(registry);
    }

    private void peerGauge(String peer, String tag, String name, String help, ToDoubleFunction<RoutingCounters.Peer> value) {
        Gauge.builder(name, this, m -> m.peerValue(peer, value)).description(help).tag("peer", tag).register(registry);
    }

    /** A peer that left the topology reads 0, like a restarted broker's counters (Prometheus treats it as a reset). */
    private double peerValue(String peer, ToDoubleFunction<RoutingCounters.Peer> value) {
        RoutingCounters.Peer p = latest.peers().get(peer);
        return p == null ? 0 : value.applyAsDouble(p);
    }
}
