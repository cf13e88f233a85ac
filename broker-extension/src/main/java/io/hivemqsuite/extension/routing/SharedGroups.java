package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.ModifiableUserProperties;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared subscriptions for the whole cluster: a group ({@code $share/<g>/<filter>}) whose members sit on several
 * nodes gets each message once in total, not once per node.
 *
 * <p>Each node's broker delivers natively to one member of each local group, and the SDK cannot stop only that
 * delivery at the origin, nor tell a shared delivery from another one by the packet. So the origin, which sees
 * every node's groups in the digests, chooses per message and group the one node that delivers (round robin over
 * the nodes with members) and writes the choice into the message as the reserved user property
 * {@value #OWNER_PROPERTY}; it travels with the message to every node. This class is also the outbound interceptor
 * on every node: it removes the property before any client sees it, and drops a delivery to a client whose only
 * matching subscriptions are groups that another node delivers. A group that lives on one node is left to that
 * node's broker and named nowhere.
 *
 * <p>Limits: a client that holds a plain subscription and a shared one matching the same topic keeps both
 * deliveries (the interceptor cannot tell them apart); a message whose chosen node loses its last member before
 * the message arrives there is not delivered to the group.
 */
final class SharedGroups implements PublishOutboundInterceptor {
    static final String OWNER_PROPERTY = "hivemq-suite-shared-owner";

    private final int self;
    private final ClientSubscriptions clients;
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();
    final AtomicLong suppressed = new AtomicLong();

    SharedGroups(int self, ClientSubscriptions clients) {
        this.self = self;
        this.clients = clients;
    }

    /**
     * For a publish on {@code topic}: the delivering node of each matching group with members on more than one
     * node, taking turns per group. Empty (the common case) when no group spans nodes. A node whose link is down
     * (restarting, gone) is not chosen while another holder is reachable: its clean-session members may not come
     * back, and members elsewhere are waiting now. It still stays named as a holder, so it does not deliver the
     * message itself when it gets it later.
     */
    Map<String, Integer> chooseOwners(String topic, Interest local, Collection<PeerLink> links) {
        Map<String, List<Integer>> holders = null;
        List<Integer> away = null;
        if (local.hasShared()) {
            holders = add(holders, topic, local, self);
        }
        for (PeerLink link : links) {
            Interest peer = link.interest();
            if (peer != null && peer.hasShared()) {
                holders = add(holders, topic, peer, link.peer);
                if (!link.up()) {
                    away = away == null ? new ArrayList<>(1) : away;
                    away.add(link.peer);
                }
            }
        }
        if (holders == null) {
            return Map.of();
        }
        Map<String, Integer> owners = new TreeMap<>();
        List<Integer> unreachable = away == null ? List.of() : away;
        holders.forEach((group, nodes) -> {
            if (nodes.size() > 1) {
                List<Integer> candidates = new ArrayList<>(nodes);
                candidates.removeAll(unreachable);
                if (candidates.isEmpty()) {
                    candidates = nodes;
                }
                candidates.sort(null);
                long turn = turns.computeIfAbsent(group, g -> new AtomicLong()).getAndIncrement();
                owners.put(group, candidates.get((int) Math.floorMod(turn, (long) candidates.size())));
            }
        });
        return owners;
    }

    private static Map<String, List<Integer>> add(Map<String, List<Integer>> holders, String topic, Interest interest,
                                                  int node) {
        Map<String, List<Integer>> result = holders;
        List<String> groups = new ArrayList<>(1);
        interest.sharedMatching(topic, groups::add);
        if (!groups.isEmpty()) {
            if (result == null) {
                result = new HashMap<>();
            }
            for (String group : groups) {
                result.computeIfAbsent(group, g -> new ArrayList<>(3)).add(node);
            }
        }
        return result;
    }

    @Override
    public void onOutboundPublish(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        ModifiableUserProperties properties = output.getPublishPacket().getUserProperties();
        if (properties.isEmpty()) {
            return;
        }
        Optional<String> marker = properties.getFirst(OWNER_PROPERTY);
        if (marker.isEmpty()) {
            return;
        }
        properties.removeName(OWNER_PROPERTY);
        Map<String, Integer> owners = decode(marker.get());
        if (!deliversHere(input.getClientInformation().getClientId(), input.getPublishPacket().getTopic(), owners)) {
            suppressed.incrementAndGet();
            output.preventPublishDelivery();
        }
    }

    /** False only when every subscription of the client that matches is a group another node delivers. */
    boolean deliversHere(String client, String topic, Map<String, Integer> owners) {
        boolean elsewhere = false;
        for (String raw : clients.of(client)) {
            String filter = TopicFilters.withoutShare(raw);
            if (!TopicFilters.matches(filter, topic)) {
                continue;
            }
            Integer owner = filter.equals(raw) ? null : owners.get(raw);
            if (owner == null || owner == self) {
                return true;
            }
            elsewhere = true;
        }
        return !elsewhere;
    }


    /** {@code <owner>:<length>:<group>} per group; the length prefix keeps any group name unambiguous. */
    static String encode(Map<String, Integer> owners) {
        StringBuilder out = new StringBuilder();
        owners.forEach((group, owner) -> out.append(owner).append(':').append(group.length()).append(':').append(group));
        return out.toString();
    }

    /** Empty when malformed: then every node delivers, as without the marker. */
    static Map<String, Integer> decode(String marker) {
        Map<String, Integer> owners = new HashMap<>();
        int i = 0;
        try {
            while (i < marker.length()) {
                int c1 = marker.indexOf(':', i);
                int c2 = marker.indexOf(':', c1 + 1);
                int owner = Integer.parseInt(marker.substring(i, c1));
                int length = Integer.parseInt(marker.substring(c1 + 1, c2));
                owners.put(marker.substring(c2 + 1, c2 + 1 + length), owner);
                i = c2 + 1 + length;
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return owners;
    }
}
