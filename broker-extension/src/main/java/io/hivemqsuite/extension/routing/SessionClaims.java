package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.connack.parameter.ConnackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.connack.parameter.ConnackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.TopicSubscriptionBuilder;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A client identifier is unique in the cluster, as on one broker. When a client connects here, this node claims its
 * id at every reachable peer before the CONNECT goes on; a peer that holds the id
 * <ul>
 *   <li>closes a live connection with DISCONNECT 0x8E (session taken over), its will published by the rules of one
 *   broker: at once without a will delay, cancelled with one (the client is back, only elsewhere);</li>
 *   <li>hands its session's subscriptions over when the new CONNECT keeps the session (clean start 0), and ends its
 *   own copy of the session either way.</li>
 * </ul>
 * The new node adds the handed-over subscriptions before its CONNACK, which then says the session is present.
 * Only once every reachable node routes those subscriptions to the new node (digest acknowledged) does it RELEASE
 * the old holder, which then takes its session's queue out ({@link SessionDrain}), ends the session and sends the
 * queue over, to be delivered to the client in its order. Until then the old session keeps queueing, so no message
 * falls between the two (one that reached both arrives twice: QoS 1 semantics).
 *
 * <p>Wire (on {@code hivemq-suite/<svc>/nodes/<i>/sessions}, fields separated by U+0000, which MQTT strings cannot
 * hold): {@code claim, <from>, <clean 0|1>, <client id>}; {@code held, <from>, <client id>, <session 0|1>} then per
 * subscription {@code <filter>, <qos>, <no local 0|1>, <retain as published 0|1>, <subscription id or ->};
 * {@code release, <from>, <client id>}; {@code queued, <from>, <client id>, <base64 envelope batch or ->}.
 */
final class SessionClaims {
    private static final Logger LOG = Logger.getLogger(SessionClaims.class.getName());
    private static final String CLAIM = "claim";
    private static final String HELD = "held";
    private static final String RELEASE = "release";
    private static final String QUEUED = "queued";

    /** What the peers held of a client that is connecting here: its session, subscriptions, queued messages. */
    record Held(Set<Integer> holders, Set<TopicSubscription> subscriptions) {
    }

    /** What this node gives up of a session it held, at the claim. */
    private record Taken(Set<TopicSubscription> subscriptions) {
        static final Taken NOTHING = new Taken(Set.of());
    }

    private record Waiting(Set<Integer> peers, List<Held> held, CompletableFuture<Void> done) {
    }

    private final String service;
    private final int self;
    private final Map<Integer, PeerLink> links;
    private final WillRelay wills;
    private final BiFunction<String, List<String>, CompletableFuture<Void>> subscribed;
    private final SessionDrain drain;
    private final Supplier<String> ownAddress;
    private final String secret;
    /** Draining blocks for up to a few seconds: never on the broker's or the extension's threads. */
    private final ExecutorService drainer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hivemq-suite-session-drain");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Map<String, Held> handedOver = new ConcurrentHashMap<>();

    /**
     * @param links      the router's links by peer, read as they are at each claim
     * @param subscribed how the router makes filters known to the reachable peers (as for a SUBSCRIBE)
     */
    SessionClaims(String service, int self, Map<Integer, PeerLink> links, WillRelay wills, SessionDrain drain,
                  BiFunction<String, List<String>, CompletableFuture<Void>> subscribed, Supplier<String> ownAddress,
                  String secret) {
        this.service = service;
        this.self = self;
        this.links = links;
        this.wills = wills;
        this.subscribed = subscribed;
        this.drain = drain;
        this.ownAddress = ownAddress;
        this.secret = secret;
    }

    void stop() {
        drainer.shutdownNow();
    }

    // ---- the connecting side -----------------------------------------------------------------------------

    /** CONNECT of an outside client: its will is marked for the relay, and its id claimed at the peers. */
    void connecting(@NotNull ConnectInboundInput input, @NotNull ConnectInboundOutput output) {
        if (output.getConnectPacket().getUserName().map(InternalCredential.USERNAME::equals).orElse(false)) {
            return; // the suite's own clients: no wills, and their ids are per node already
        }
        String clientId = input.getClientInformation().getClientId();
        wills.connecting(clientId, output.getConnectPacket());
        List<PeerLink> reachable = links.values().stream().filter(PeerLink::up).toList();
        if (reachable.isEmpty()) {
            return;
        }
        Async<ConnectInboundOutput> async = output.async(Router.ACK_WAIT, TimeoutFallback.SUCCESS);
        Waiting w = claim(clientId, output.getConnectPacket().getCleanStart(), reachable);
        w.done.orTimeout(Router.ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    // A holder that answers later still hands its session over (see #answered).
                    waiting.remove(clientId, w);
                    async.resume();
                });
    }

    /** The session a peer handed over is added before the client hears of it, and the CONNACK says so. */
    void connackOut(@NotNull ConnackOutboundInput input, @NotNull ConnackOutboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Held held = handedOver.remove(clientId);
        if (held == null || output.getConnackPacket().getReasonCode() != ConnackReasonCode.SUCCESS) {
            return;
        }
        Async<ConnackOutboundOutput> async = output.async(Router.ACK_WAIT, TimeoutFallback.SUCCESS);
        takeOver(clientId, held).whenComplete((v, e) -> {
            if (e == null) {
                output.getConnackPacket().setSessionPresent(true);
            }
            async.resume();
        });
    }

    /**
     * A holder answered after the CONNACK went out (its answer was late): the client, still connected here, gets the
     * session's subscriptions now, and the holder its release, so its queue follows.
     */
    private void adoptLate(String clientId, Held held) {
        Services.clientService().isClientConnected(clientId).thenAccept(connected -> {
            if (connected) {
                LOG.info("late answer for client " + clientId + ": taking its session over from node "
                        + held.holders());
                takeOver(clientId, held);
            }
        });
    }

    /** Adds the handed-over subscriptions here and, once every node routes them here, releases the old holders. */
    private CompletableFuture<Void> takeOver(String clientId, Held held) {
        List<String> filters = held.subscriptions().stream().map(TopicSubscription::getTopicFilter).toList();
        CompletableFuture<Void> added = held.subscriptions().isEmpty() ? CompletableFuture.completedFuture(null)
                : Services.subscriptionStore().addSubscriptions(clientId, held.subscriptions())
                .thenCompose(v -> subscribed.apply(clientId, filters));
        return added.whenComplete((v, e) -> {
            if (e != null) {
                LOG.warning("cannot take over the subscriptions of client " + clientId + ": " + e);
                return;
            }
            // Every node now routes the client's messages here: the old holders may give up what they queued.
            byte[] release = encode(RELEASE, Integer.toString(self), clientId);
            for (int holder : held.holders()) {
                PeerLink link = links.get(holder);
                if (link != null) {
                    link.tell(ControlTopics.sessions(service, holder), release, 1, "release a session",
                            PeerLink.CONTROL_PATIENCE);
                }
            }
        });
    }

    /** Claims {@code clientId} at each peer; done when all answered (the caller bounds the wait). */
    private Waiting claim(String clientId, boolean cleanStart, Collection<PeerLink> peers) {
        Set<Integer> outstanding = ConcurrentHashMap.newKeySet();
        peers.forEach(p -> outstanding.add(p.peer));
        Waiting w = new Waiting(outstanding, new ArrayList<>(), new CompletableFuture<>());
        Waiting before = waiting.put(clientId, w);
        if (before != null) {
            before.done.complete(null);
        }
        byte[] claim = encode(CLAIM, Integer.toString(self), cleanStart ? "1" : "0", clientId);
        for (PeerLink peer : peers) {
            peer.tell(ControlTopics.sessions(service, peer.peer), claim, 1, "claim client id " + clientId,
                    Router.ACK_WAIT);
        }
        return w;
    }

    private void answered(String[] f) {
        int from = Integer.parseInt(f[1]);
        String clientId = f[2];
        boolean session = "1".equals(f[3]);
        Set<TopicSubscription> subscriptions = new HashSet<>();
        for (int i = 4; i + 4 < f.length; i += 5) {
            TopicSubscriptionBuilder b = Builders.topicSubscription().topicFilter(f[i])
                    .qos(Qos.valueOf(Integer.parseInt(f[i + 1])))
                    .noLocal("1".equals(f[i + 2]))
                    .retainAsPublished("1".equals(f[i + 3]));
            if (!"-".equals(f[i + 4])) {
                b.subscriptionIdentifier(Integer.parseInt(f[i + 4]));
            }
            subscriptions.add(b.build());
        }
        Waiting w = waiting.get(clientId);
        if (w == null) {
            if (session) {
                adoptLate(clientId, new Held(Set.of(from), subscriptions));
            }
            return;
        }
        if (session) {
            handedOver.merge(clientId, new Held(Set.of(from), subscriptions), (a, b) -> {
                Set<TopicSubscription> all = new HashSet<>(a.subscriptions());
                all.addAll(b.subscriptions());
                Set<Integer> holders = new HashSet<>(a.holders());
                holders.addAll(b.holders());
                return new Held(holders, all);
            });
        }
        w.peers.remove(from);
        if (w.peers.isEmpty() && waiting.remove(clientId, w)) {
            w.done.complete(null);
        }
    }

    // ---- the holding side --------------------------------------------------------------------------------

    /** A peer's claim: give up the client id here and answer over {@code replyTo}(claimant). */
    private void claimed(String[] f) {
        int from = Integer.parseInt(f[1]);
        boolean cleanStart = "1".equals(f[2]);
        String clientId = f[3];
        long willDelay = wills.cancel(clientId);
        var clientService = Services.clientService();
        clientService.isClientConnected(clientId)
                .thenCompose(connected -> {
                    if (!connected) {
                        return CompletableFuture.completedFuture(false);
                    }
                    LOG.fine("client " + clientId + " connected on node " + from + ": taking its session over");
                    // With a will delay the will is cancelled (see WillRelay#cancel); without, it goes out now.
                    return clientService.disconnectClient(clientId, willDelay > 0,
                            DisconnectReasonCode.SESSION_TAKEN_OVER, "client id connected on another node");
                })
                .thenCompose(v -> clientService.getSession(clientId))
                .thenCompose(session -> {
                    if (session.isEmpty()) {
                        return CompletableFuture.completedFuture((Taken) null);
                    }
                    if (cleanStart) {
                        return clientService.invalidateSession(clientId).handle((ended, e) -> Taken.NOTHING);
                    }
                    // The session stays here, queueing, until the new node routes the subscriptions (RELEASE).
                    return Services.subscriptionStore().getSubscriptions(clientId)
                            .thenApply(Taken::new);
                })
                .whenComplete((taken, e) -> {
                    if (e != null) {
                        LOG.warning("cannot give up client " + clientId + " for node " + from + ": " + e);
                    }
                    PeerLink link = links.get(from);
                    if (link != null) {
                        link.tell(ControlTopics.sessions(service, from), encode(held(clientId, taken).toArray(String[]::new)), 1,
                                "answer a session claim", Router.ACK_WAIT);
                    }
                });
    }

    /**
     * The new node routes the client's subscriptions now, so nothing more queues here that it would miss: take the
     * session's queue out, end the session here and send what was queued.
     */
    private void released(String[] f) {
        int from = Integer.parseInt(f[1]);
        String clientId = f[2];
        CompletableFuture.supplyAsync(() -> drain.drain(clientId, ownAddress.get(), secret), drainer)
                .thenCompose(queued -> Services.clientService().invalidateSession(clientId)
                        .handle((ended, e) -> queued))
                .whenComplete((queued, e) -> {
                    PeerLink link = links.get(from);
                    if (link == null) {
                        return;
                    }
                    List<Envelope> all = queued == null ? List.of() : queued;
                    String batch = "-";
                    if (!all.isEmpty()) {
                        long now = System.nanoTime();
                        List<Long> expiries = all.stream().map(q -> q.remainingExpirySeconds(now)).toList();
                        batch = Base64.getEncoder().encodeToString(Envelope.encodeBatch(all, expiries));
                    }
                    link.tell(ControlTopics.sessions(service, from),
                            encode(QUEUED, Integer.toString(self), clientId, batch), 1, "hand over a session's queue",
                            PeerLink.CONTROL_PATIENCE);
                });
    }

    /** What a former holder had queued for the client: delivered here in its order. */
    private void queuedArrived(String[] f) {
        String clientId = f[2];
        List<Envelope> queued = "-".equals(f[3]) ? List.of()
                : Envelope.decodeBatch(Base64.getDecoder().decode(f[3]), System.nanoTime());
        if (queued == null) {
            LOG.warning("ignored a malformed session queue for client " + clientId);
            return;
        }
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        for (Envelope e : queued) {
            chain = chain.thenCompose(x -> Services.publishService()
                    .publishToClient(Intake.original(e, false), clientId));
        }
    }

    /** The answer to a claim: whether a session was here, and what of it moves. */
    private List<String> held(String clientId, Taken taken) {
        List<String> out = new ArrayList<>(List.of(HELD, Integer.toString(self), clientId, taken == null ? "0" : "1"));
        Taken t = taken == null ? Taken.NOTHING : taken;
        for (TopicSubscription s : t.subscriptions()) {
            out.add(s.getTopicFilter());
            out.add(Integer.toString(s.getQos().getQosNumber()));
            out.add(s.getNoLocal() ? "1" : "0");
            out.add(s.getRetainAsPublished() ? "1" : "0");
            out.add(s.getSubscriptionIdentifier().map(String::valueOf).orElse("-"));
        }
        return out;
    }

    /** A message on this node's sessions topic, from a peer's link; malformed ones are dropped and logged. */
    void received(byte[] payload) {
        String[] f = new String(payload, StandardCharsets.UTF_8).split("\0", -1);
        try {
            if (f[0].equals(CLAIM) && f.length == 4) {
                claimed(f);
            } else if (f[0].equals(HELD) && f.length >= 4) {
                answered(f);
            } else if (f[0].equals(RELEASE) && f.length == 3) {
                released(f);
            } else if (f[0].equals(QUEUED) && f.length == 4) {
                queuedArrived(f);
            } else {
                LOG.warning("ignored a malformed session message from a peer");
            }
        } catch (RuntimeException e) {
            LOG.warning("ignored a malformed session message from a peer: " + e);
        }
    }

    private static byte[] encode(String... fields) {
        return String.join("\0", fields).getBytes(StandardCharsets.UTF_8);
    }
}
