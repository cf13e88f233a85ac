package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.services.Services;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Retained messages live on every node: a broker that comes up with an empty retained store (a new node, a lost
 * disk) asks the first peer whose link comes up for its retained set ({@code nodes/<peer>/retained-sync}); that peer
 * sends it as catch-up envelopes over its ordered link, stored only where the topic has no retained message yet
 * (see {@link Intake}).
 */
final class RetainedCatchUp {
    private static final Logger LOG = Logger.getLogger(RetainedCatchUp.class.getName());

    private final String service;
    private final int self;
    private final Map<Integer, PeerLink> links;
    private final AtomicBoolean needed = new AtomicBoolean();

    RetainedCatchUp(String service, int self, Map<Integer, PeerLink> links) {
        this.service = service;
        this.self = self;
        this.links = links;
    }

    /** At start: is the store empty (control topics aside)? Then ask the first peer that is, or comes, up. */
    void checkStore() {
        AtomicBoolean empty = new AtomicBoolean(true);
        Services.retainedMessageStore().iterateAllRetainedMessages((context, retained) -> {
            if (!ControlTopics.isControlTopic(retained.getTopic())) {
                empty.set(false);
                context.abortIteration();
            }
        }).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warning("cannot read the retained store, no catch-up: " + e);
            } else if (empty.get()) {
                needed.set(true);
                links.values().stream().filter(PeerLink::up).findFirst().ifPresent(l -> linkUp(l.peer));
            }
        });
    }

    /** A link came up: the first one serves the catch-up, if this node needs one. */
    void linkUp(int peer) {
        PeerLink link = links.get(peer);
        if (link != null && needed.compareAndSet(true, false)) {
            // Asked over the link, so the request reaches the peer's extension as an internal client's publish.
            LOG.info("retained store is empty: asking node " + peer + " for its retained messages");
            link.requestRetained(ControlTopics.retainedSync(service, peer));
        }
    }

    /** A joining peer's request (its node index as the payload): it gets this node's retained set. */
    void requested(byte[] payload) {
        int node;
        try {
            node = Integer.parseInt(new String(payload, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return;
        }
        PeerLink link = links.get(node);
        if (link == null || node == self) {
            return;
        }
        AtomicLong count = new AtomicLong();
        Services.retainedMessageStore().iterateAllRetainedMessages((context, retained) -> {
            if (!ControlTopics.isControlTopic(retained.getTopic())) {
                link.queue.offer(Envelope.catchUp(retained));
                count.incrementAndGet();
            }
        }).whenComplete((v, e) -> LOG.info("sent " + count.get() + " retained messages to joining node " + node
                + (e != null ? " (incomplete: " + e + ")" : "")));
    }
}
