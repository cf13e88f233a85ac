package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.InitializerInput;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hivemqsuite.extension.security.InternalClients;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Joins this broker to its peers so that the brokers act as one: an outside client's publish here is forwarded
 * (as an envelope over this node's {@link PeerLink} to each interested peer) and republished there through the
 * SDK's PublishService, which does not run inbound interceptors, so a routed message is never routed again.
 * See the module README for the whole design and its limits.
 */
public final class Router {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());
    /** Longest a SUBSCRIBE, CONNECT or CONNACK waits for peers (then it goes on: a peer may be away). */
    static final Duration ACK_WAIT = Duration.ofSeconds(3);

    private final ExtensionSettings.Routing settings;
    private final String service;
    private final int self;
    private final Path extensionHome;
    private final String secret;
    private final String routePrefix;
    private final SubscriptionDigest digest;
    private final ClientSubscriptions clients = new ClientSubscriptions();
    private final SharedGroups shared;
    private final RouteJournal journal;
    /** What the journal still owed the peers when this broker last stopped; queued again once the links exist. */
    private final List<RouteJournal.Pending> owedAtStart = new ArrayList<>();
    private final Map<Integer, PeerLink> links = new ConcurrentHashMap<>();
    private final RetainedClock retainedClock = new RetainedClock();
    private final Intake intake;
    private final RetainedCatchUp catchUp;
    private final DigestAcks digestAcks = new DigestAcks();
    private final WillRelay wills;
    private final SessionClaims claims;
    private final SessionDrain drain = new SessionDrain();
    /** This broker's own plain listener (host:port) from the peer table, for the relay's and the drain's clients. */
    private volatile String ownAddress;
    private final AtomicLong journalFailures = new AtomicLong();
    private final AtomicBoolean rescanPending = new AtomicBoolean();
    private final PublishInboundInterceptor fromPeers = this::fromPeers;
    private final SubscribeInboundInterceptor subscribe = this::subscribe;
    private final UnsubscribeInboundInterceptor unsubscribe = (in, out) -> {
        clients.unsubscribed(in.getClientInformation().getClientId(), in.getUnsubscribePacket().getTopicFilters());
        scheduleRescan();
    };
    private ScheduledExecutorService executor;
    private volatile FileTime peersModified;
    private volatile String lastStats = "";
    private final Predicate<ConnectInboundInput> admitted;

    public Router(ExtensionSettings settings, Path extensionHome, Path dataFolder, String secret) {
        this(settings, extensionHome, dataFolder, secret, connect -> true);
    }

    /**
     * @param admitted whether the broker's authenticator will admit a CONNECT. Connect interceptors run before
     *                 authentication, and claiming a client id disconnects its holder on the other nodes: a CONNECT
     *                 that will be refused (a wrong password under users and roles) must not claim anything.
     */
    public Router(ExtensionSettings settings, Path extensionHome, Path dataFolder, String secret,
                  Predicate<ConnectInboundInput> admitted) {
        this.admitted = admitted;
        this.settings = settings.routing();
        this.service = settings.serviceDnsName();
        this.self = settings.routing().nodeIndex();
        this.extensionHome = extensionHome;
        this.secret = secret;
        this.routePrefix = ControlTopics.routePrefix(service);
        this.digest = new SubscriptionDigest(ControlTopics.subscriptions(service, self));
        this.shared = new SharedGroups(self, clients);
        this.intake = new Intake(self, routePrefix, retainedClock);
        this.catchUp = new RetainedCatchUp(service, self, links);
        this.wills = new WillRelay(service, self, this::routeWill);
        this.claims = new SessionClaims(service, self, links, wills, drain, this::subscribed, () -> ownAddress, secret);
        this.journal = openJournal(dataFolder.resolve("hivemq-suite-routing"));
    }

    /** Without a journal the node still routes, as before it had one: only an origin crash can lose messages. */
    private RouteJournal openJournal(Path dir) {
        try {
            return RouteJournal.open(dir, owedAtStart);
        } catch (RuntimeException e) {
            LOG.severe("routing journal unavailable (" + e.getMessage() + "): queued messages for peers are kept in "
                    + "memory only and are lost if this broker dies");
            owedAtStart.clear();
            return null;
        }
    }

    public void start() {
        executor = Services.extensionExecutorService();
        Services.eventRegistry().setClientLifecycleEventListener(input -> new ClientLifecycleEventListener() {
            @Override
            public void onMqttConnectionStart(@NotNull ConnectionStartInput in) {
            }

            @Override
            public void onAuthenticationSuccessful(@NotNull AuthenticationSuccessfulInput in) {
            }

            @Override
            public void onDisconnect(@NotNull DisconnectEventInput in) {
                // A clean-session client's subscriptions go with it; only a scan of the store can tell.
                scheduleRescan();
            }

            @Override
            public void onClientInitiatedDisconnect(@NotNull ClientInitiatedDisconnectInput in) {
                if (in.getReasonCode().map(c -> c == DisconnectedReasonCode.NORMAL_DISCONNECTION).orElse(true)) {
                    wills.disconnectedNormally(in.getClientInformation().getClientId());
                }
                scheduleRescan();
            }
        });
        Services.interceptorRegistry().setConnectInboundInterceptorProvider(providerInput -> (in, out) -> {
            if (admitted.test(in)) {
                claims.connecting(in, out);
            }
        });
        Services.interceptorRegistry().setConnackOutboundInterceptorProvider(providerInput -> claims::connackOut);
        catchUp.checkStore();
        rescan();
        reloadPeers();
        requeueOwed();
        executor.scheduleWithFixedDelay(this::reloadPeersSafely, 2, 2, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(this::rescan, 5, 5, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(this::publishStats, 500, 500, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::checkpointJournal, 200, 200, TimeUnit.MILLISECONDS);
        LOG.info("routing on: node " + self + " of service " + service + ", subscription digest "
                + (settings.subscriptionDigest() ? "on" : "off (every publish goes to every peer)"));
    }

    public void stop() {
        wills.stop();
        claims.stop();
        long deadline = System.currentTimeMillis() + 3000;
        links.values().forEach(l -> l.drain(Math.max(0, deadline - System.currentTimeMillis())));
        links.values().forEach(PeerLink::stop);
        links.clear();
        if (journal != null) {
            journal.close();
        }
    }

    /** Before any client can publish: what an earlier run of this broker acknowledged but had not delivered. */
    private void requeueOwed() {
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

    private void settled(int peer, long journalSeq) {
        if (journal != null) {
            journal.settled(peer, journalSeq);
        }
    }

    private void checkpointJournal() {
        if (journal == null) {
            return;
        }
        try {
            journal.checkpoint();
        } catch (RuntimeException e) {
            LOG.warning("routing journal checkpoint failed (it is retried): " + e.getMessage());
        }
    }

    /** Called from the extension's client initializer for every client, after authentication. */
    public void initialize(@NotNull InitializerInput input, @NotNull ClientContext context) {
        if (InternalClients.isInternal(input.getConnectionInformation())) {
            // The suite's own publishes (status, commands) stay on their node; only envelopes are taken in here.
            context.addPublishInboundInterceptor(fromPeers);
            String clientId = input.getClientInformation().getClientId();
            if (clientId.equals(wills.catcherId())) {
                context.addPublishOutboundInterceptor(wills.caught);
            } else if (drain.isDraining(clientId)) {
                context.addPublishOutboundInterceptor(drain.taken);
            }
        } else {
            // The client's permissions as its authentication set them (users and roles); the same object the broker
            // authorizes against.
            ModifiableDefaultPermissions permissions = context.getDefaultPermissions();
            context.addPublishInboundInterceptor((in, out) -> {
                PublishPacket packet = in.getPublishPacket();
                if (PublishPermissions.allows(permissions, packet.getTopic(), packet.getQos(), packet.getRetain())) {
                    forward(in, out);
                }
            });
            context.addSubscribeInboundInterceptor(subscribe);
            context.addUnsubscribeInboundInterceptor(unsubscribe);
            context.addPublishOutboundInterceptor(shared);
            context.addPublishOutboundInterceptor(wills.deliveries);
        }
    }

    // ---- origin side -------------------------------------------------------------------------------------

    private void forward(@NotNull PublishInboundInput input, @NotNull PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        String topic = packet.getTopic();
        // Interceptors run before the authorizer: a forged control publish (refused there) or a $-topic publish
        // (disconnected) must not slip out through the router.
        List<UserProperty> userProperties = packet.getUserProperties().asList();
        if (!userProperties.isEmpty() && (packet.getUserProperties().getFirst(SharedGroups.OWNER_PROPERTY).isPresent()
                || packet.getUserProperties().getFirst(WillRelay.MARKER).isPresent())) {
            // Outside clients cannot choose for the cluster nor pass for a will; removed even with nobody to route
            // to, because this node's own outbound interceptors would obey them.
            output.getPublishPacket().getUserProperties().removeName(SharedGroups.OWNER_PROPERTY);
            output.getPublishPacket().getUserProperties().removeName(WillRelay.MARKER);
            userProperties = output.getPublishPacket().getUserProperties().asList();
        }
        if (links.isEmpty() || ControlTopics.isControlTopic(topic) || topic.startsWith("$")) {
            return;
        }
        long now = System.currentTimeMillis();
        if (packet.getRetain()) {
            retainedClock.written(topic, RetainedClock.stamp(now, self));
        }
        Map<String, Integer> owners = shared.chooseOwners(topic, digest.interest(), links.values());
        String marker = null;
        if (!owners.isEmpty()) {
            marker = SharedGroups.encode(owners);
            // Travels with the message into this broker's own delivery and, in the envelope, to every peer.
            output.getPublishPacket().getUserProperties().addUserProperty(SharedGroups.OWNER_PROPERTY, marker);
        }
        dispatch(packet, userProperties, owners, marker, now);
    }

    /**
     * A will this broker published (see {@link WillRelay}), routed as the client's own publish would have been.
     * This broker has already delivered it to its own subscribers, shared groups included, so every group with a
     * member here is owned by this node.
     */
    private void routeWill(PublishPacket packet) {
        String topic = packet.getTopic();
        if (links.isEmpty()) {
            return;
        }
        List<UserProperty> userProperties = new ArrayList<>(packet.getUserProperties().asList());
        userProperties.removeIf(p -> p.getName().equals(WillRelay.MARKER));
        long now = System.currentTimeMillis();
        if (packet.getRetain()) {
            retainedClock.written(topic, RetainedClock.stamp(now, self));
        }
        Map<String, Integer> owners = new TreeMap<>(
                shared.chooseOwners(topic, digest.interest(), links.values()));
        digest.interest().sharedMatching(topic, group -> owners.replace(group, self));
        dispatch(packet, userProperties, owners, owners.isEmpty() ? null : SharedGroups.encode(owners), now);
    }

    /** Queues one envelope of the publish for every peer that wants it, journaled first when QoS 1/2. */
    private void dispatch(PublishPacket packet, List<UserProperty> userProperties, Map<String, Integer> owners,
                          String marker, long now) {
        String topic = packet.getTopic();
        List<PeerLink> targets = null;
        for (PeerLink link : links.values()) {
            // Retained messages live on every node, whatever its interest.
            if (packet.getRetain() || !settings.subscriptionDigest() || link.wants(topic, owners)) {
                if (targets == null) {
                    targets = new ArrayList<>(links.size());
                }
                targets.add(link);
            } else {
                link.skippedByDigest.incrementAndGet();
            }
        }
        if (targets == null) {
            return;
        }
        Envelope envelope = Envelope.of(packet, userProperties, marker, now);
        if (envelope.qos() > 0 && journal != null) {
            // On disk before this interceptor returns, so before the publisher's PUBACK (see RouteJournal).
            int[] peers = targets.stream().mapToInt(l -> l.peer).toArray();
            try {
                envelope = envelope.withJournalSeq(journal.append(envelope, peers, envelope.receivedNanos()));
            } catch (RuntimeException e) {
                // Counted always, logged at the first failure and then every 10000th: a full disk must not flood.
                if (journalFailures.incrementAndGet() % 10_000 == 1) {
                    LOG.log(Level.WARNING, "routing journal write failed (" + journalFailures.get() + " so far); "
                            + "messages are queued in memory only until it works again", e);
                }
            }
        }
        for (PeerLink link : targets) {
            link.queue.offer(envelope);
        }
    }

    // ---- receiving side ----------------------------------------------------------------------------------

    /** Internal clients' publishes: a peer's batches, and a joining peer's request for the retained set. */
    private void fromPeers(@NotNull PublishInboundInput input, @NotNull PublishInboundOutput output) {
        String topic = input.getPublishPacket().getTopic();
        if (topic.equals(ControlTopics.retainedSync(service, self))) {
            output.preventPublishDelivery();
            catchUp.requested(Envelope.bytes(input.getPublishPacket().getPayload()));
        } else if (topic.equals(ControlTopics.digestAck(service, self))) {
            output.preventPublishDelivery();
            digestAcks.received(Envelope.bytes(input.getPublishPacket().getPayload()));
        } else if (topic.equals(ControlTopics.sessions(service, self))) {
            output.preventPublishDelivery();
            claims.received(Envelope.bytes(input.getPublishPacket().getPayload()));
        } else if (topic.startsWith(routePrefix)) {
            intake.accept(input, output, topic);
        }
    }

    // ---- subscriptions -----------------------------------------------------------------------------------

    private void subscribe(@NotNull SubscribeInboundInput input, @NotNull SubscribeInboundOutput output) {
        List<String> filters = new ArrayList<>();
        for (Subscription s : input.getSubscribePacket().getSubscriptions()) {
            filters.add(s.getTopicFilter());
        }
        CompletableFuture<Void> known = subscribed(input.getClientInformation().getClientId(), filters);
        if (known.isDone()) {
            return;
        }
        // Hold the SUBACK until every reachable peer routes by a digest holding the new filters: a publish a peer
        // accepts after the SUBACK is forwarded here (see DigestAcks).
        Async<SubscribeInboundOutput> async = output.async(ACK_WAIT, TimeoutFallback.SUCCESS);
        known.whenComplete((v, e) -> async.resume());
    }

    /** Completes once the reachable peers know that this node wants {@code filters} (bounded by the caller). */
    private CompletableFuture<Void> subscribed(String clientId, List<String> filters) {
        clients.subscribed(clientId, filters);
        return digest.added(filters).thenCompose(version -> {
            List<Integer> reachable = new ArrayList<>();
            links.values().forEach(l -> {
                if (l.up()) {
                    reachable.add(l.peer);
                }
            });
            return digestAcks.await(version, reachable);
        }).orTimeout(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scheduleRescan() {
        if (rescanPending.compareAndSet(false, true)) {
            executor.schedule(() -> {
                rescanPending.set(false);
                rescan();
            }, 200, TimeUnit.MILLISECONDS);
        }
    }

    private void rescan() {
        Map<String, Set<String>> byClient = new ConcurrentHashMap<>();
        Services.subscriptionStore().iterateAllSubscriptions((context, client) -> {
                    if (client.getClientId().equals(wills.catcherId())) {
                        return; // the will relay's watch is no interest of this node's clients
                    }
                    Set<String> filters = new HashSet<>();
                    client.getSubscriptions().forEach(s -> filters.add(s.getTopicFilter()));
                    byClient.put(client.getClientId(), filters);
                })
                .thenCompose(v -> {
                    clients.scanned(byClient);
                    return digest.scanned(clients.allFilters());
                })
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.fine("subscription scan failed: " + e);
                    }
                });
    }

    // ---- peers -------------------------------------------------------------------------------------------

    private void reloadPeersSafely() {
        try {
            reloadPeers();
        } catch (RuntimeException e) {
            LOG.warning("cannot read " + PeerTable.FILE_NAME + ": " + e.getMessage() + " (keeping the current peers)");
        }
    }

    private void reloadPeers() {
        Path file = extensionHome.resolve(PeerTable.FILE_NAME);
        FileTime modified;
        try {
            modified = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
        } catch (java.io.IOException e) {
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
            if (peer == self || links.containsKey(peer)) {
                continue;
            }
            try {
                PeerLink link = new PeerLink(self, peer, node.getValue(), service, ControlTopics.route(service, self),
                        ControlTopics.subscriptions(service, peer), secret,
                        new PeerQueue(peer, settings.peerQueueMaxMessages(), settings.peerQueueMaxBytes(),
                                seq -> settled(peer, seq)),
                        catchUp::linkUp);
                links.put(peer, link);
                link.start();
                LOG.info("routing to node " + peer + " at " + node.getValue());
            } catch (Exception e) {
                LOG.warning("cannot create the routing link to node " + peer + ": " + e);
            }
        }
    }

    // ---- counters ----------------------------------------------------------------------------------------

    /** Published retained on {@code hivemq-suite/<svc>/nodes/<i>/routing} when it changes; read by agents/tests. */
    String statsJson() {
        StringBuilder json = new StringBuilder();
        json.append("{\"node\":").append(self)
                .append(",\"digest\":").append(settings.subscriptionDigest())
                .append(",\"localFilters\":").append(digest.size())
                .append(",\"received\":").append(intake.received.get())
                .append(",\"intakeFailures\":").append(intake.failures.get())
                .append(",\"catchUpStored\":").append(intake.catchUpStored.get())
                .append(",\"staleRetained\":").append(intake.staleRetained.get())
                .append(",\"sharedSuppressed\":").append(shared.suppressed.get())
                .append(",\"journalOwed\":").append(journal == null ? -1 : journal.owed())
                .append(",\"journalFailures\":").append(journalFailures.get())
                .append(",\"peers\":{");
        boolean first = true;
        for (PeerLink link : new TreeMap<>(links).values()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append('"').append(link.peer).append("\":{\"connected\":").append(link.up())
                    .append(",\"digestFilters\":").append(link.digestSize())
                    .append(",\"enqueued\":").append(link.queue.enqueued.get())
                    .append(",\"sent\":").append(link.sent.get())
                    .append(",\"queued\":").append(link.queue.size())
                    .append(",\"queuedBytes\":").append(link.queue.bytes())
                    .append(",\"dropped\":").append(link.queue.dropped.get())
                    .append(",\"expired\":").append(link.expired.get())
                    .append(",\"skippedByDigest\":").append(link.skippedByDigest.get())
                    .append('}');
        }
        return json.append("}}").toString();
    }

    private void publishStats() {
        try {
            String json = statsJson();
            if (json.equals(lastStats)) {
                return;
            }
            lastStats = json;
            Services.publishService().publish(Builders.publish()
                    .topic(ControlTopics.routing(service, self))
                    .qos(Qos.AT_MOST_ONCE)
                    .retain(true)
                    .contentType("application/json")
                    .payload(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                    .build());
        } catch (RuntimeException e) {
            LOG.fine("cannot publish routing counters: " + e);
        }
    }
}
