package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
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
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.Services;
import io.hivemqsuite.extension.security.InternalClients;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final String routePrefix;
    private final SubscriptionDigest digest;
    private final SharedGroups shared;
    private final OriginJournal journal;
    private final PeerMembership peers;
    /** The peers' links, as {@link #peers} keeps them: read as they are at each publish. */
    private final Map<Integer, PeerLink> links;
    private final RetainedClock retainedClock = new RetainedClock();
    private final Intake intake;
    private final RetainedCatchUp catchUp;
    private final DigestAcks digestAcks = new DigestAcks();
    private final WillRelay wills;
    private final SessionClaims claims;
    private final SessionDrain drain = new SessionDrain();
    private final LocalInterest interest;
    private final RoutingStats stats;
    private final PublishInboundInterceptor fromPeers = this::fromPeers;
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
        this.routePrefix = ControlTopics.routePrefix(service);
        this.digest = new SubscriptionDigest(ControlTopics.subscriptions(service, self));
        ClientSubscriptions clients = new ClientSubscriptions();
        this.shared = new SharedGroups(self, clients);
        this.intake = new Intake(self, routePrefix, retainedClock);
        this.journal = new OriginJournal(dataFolder.resolve("hivemq-suite-routing"));
        this.wills = new WillRelay(service, self, this::routeWill);
        this.peers = new PeerMembership(self, service, secret, this.settings, extensionHome, journal, digestAcks, wills,
                this::linkUp);
        this.links = peers.links();
        this.catchUp = new RetainedCatchUp(service, self, links);
        this.interest = new LocalInterest(clients, digest, digestAcks, links, wills.catcherId());
        this.claims = new SessionClaims(service, self, links, wills, drain, interest::subscribed, peers::ownAddress,
                secret);
        this.stats = new RoutingStats(service, self, this.settings.subscriptionDigest(), digest, intake, shared,
                journal, links);
    }

    public void start() {
        ScheduledExecutorService executor = Services.extensionExecutorService();
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
                interest.scheduleRescan();
            }

            @Override
            public void onClientInitiatedDisconnect(@NotNull ClientInitiatedDisconnectInput in) {
                if (in.getReasonCode().map(c -> c == DisconnectedReasonCode.NORMAL_DISCONNECTION).orElse(true)) {
                    wills.disconnectedNormally(in.getClientInformation().getClientId());
                }
                interest.scheduleRescan();
            }
        });
        Services.interceptorRegistry().setConnectInboundInterceptorProvider(providerInput -> (in, out) -> {
            if (admitted.test(in)) {
                claims.connecting(in, out);
            }
        });
        Services.interceptorRegistry().setConnackOutboundInterceptorProvider(providerInput -> claims::connackOut);
        catchUp.checkStore();
        interest.start(executor);
        peers.reload();
        journal.requeueOwed(links);
        executor.scheduleWithFixedDelay(peers::reloadSafely, 2, 2, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(stats::publishIfChanged, 500, 500, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(journal::checkpoint, 200, 200, TimeUnit.MILLISECONDS);
        LOG.info("routing on: node " + self + " of service " + service + ", subscription digest "
                + (settings.subscriptionDigest() ? "on" : "off (every publish goes to every peer)"));
    }

    public void stop() {
        wills.stop();
        claims.stop();
        peers.stop();
        journal.close();
    }

    /** A link to {@code peer} is (again) up: an empty retained store catches up from it. */
    private void linkUp(int peer) {
        catchUp.linkUp(peer);
    }

    /** The peer table read now, as {@link #start} does (tests drive it without a running broker). */
    void reloadPeers() {
        peers.reload();
    }

    /** The counters as published on the routing topic. */
    String statsJson() {
        return stats.json();
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
            context.addSubscribeInboundInterceptor(interest.subscribe);
            context.addUnsubscribeInboundInterceptor(interest.unsubscribe);
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
        // On disk before this interceptor returns, so before the publisher's PUBACK (see RouteJournal).
        Envelope envelope = journal.append(Envelope.of(packet, userProperties, marker, now), targets);
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
}
