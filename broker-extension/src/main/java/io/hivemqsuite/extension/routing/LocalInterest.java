package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.parameter.UnsubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import com.hivemq.extension.sdk.api.services.Services;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * What this node's outside clients are subscribed to, kept in {@link ClientSubscriptions} and published to the peers
 * as the {@link SubscriptionDigest}. SUBSCRIBE and UNSUBSCRIBE update it at once; because a clean-session client's
 * subscriptions vanish with it and the SDK says nothing then, the broker's subscription store is also scanned
 * shortly after every disconnect and every 5 s.
 */
final class LocalInterest {
    private static final Logger LOG = Logger.getLogger(LocalInterest.class.getName());

    private final ClientSubscriptions clients;
    private final SubscriptionDigest digest;
    private final DigestAcks digestAcks;
    private final Map<Integer, PeerLink> links;
    private final String ignoredClientId;
    private final AtomicBoolean rescanPending = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    final SubscribeInboundInterceptor subscribe = this::subscribe;
    final UnsubscribeInboundInterceptor unsubscribe = this::unsubscribe;

    /**
     * @param ignoredClientId the will relay's own client, whose watch is no interest of this node's clients
     */
    LocalInterest(ClientSubscriptions clients, SubscriptionDigest digest, DigestAcks digestAcks,
                  Map<Integer, PeerLink> links, String ignoredClientId) {
        this.clients = clients;
        this.digest = digest;
        this.digestAcks = digestAcks;
        this.links = links;
        this.ignoredClientId = ignoredClientId;
    }

    /** Scans now and every 5 s on {@code executor}. */
    void start(ScheduledExecutorService executor) {
        this.executor = executor;
        rescan();
        executor.scheduleWithFixedDelay(this::rescan, 5, 5, TimeUnit.SECONDS);
    }

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
        Async<SubscribeInboundOutput> async = output.async(Router.ACK_WAIT, TimeoutFallback.SUCCESS);
        known.whenComplete((v, e) -> async.resume());
    }

    private void unsubscribe(@NotNull UnsubscribeInboundInput input, @NotNull UnsubscribeInboundOutput output) {
        clients.unsubscribed(input.getClientInformation().getClientId(), input.getUnsubscribePacket().getTopicFilters());
        scheduleRescan();
    }

    /** Completes once the reachable peers know that this node wants {@code filters} (bounded by the caller). */
    CompletableFuture<Void> subscribed(String clientId, List<String> filters) {
        clients.subscribed(clientId, filters);
        return digest.added(filters).thenCompose(version -> {
            List<Integer> reachable = new ArrayList<>();
            links.values().forEach(l -> {
                if (l.up()) {
                    reachable.add(l.peer);
                }
            });
            return digestAcks.await(version, reachable);
        }).orTimeout(Router.ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Soon, once: disconnects come in bursts. */
    void scheduleRescan() {
        ScheduledExecutorService scheduler = executor;
        if (scheduler != null && rescanPending.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                rescanPending.set(false);
                rescan();
            }, 200, TimeUnit.MILLISECONDS);
        }
    }

    private void rescan() {
        Map<String, Set<String>> byClient = new ConcurrentHashMap<>();
        Services.subscriptionStore().iterateAllSubscriptions((context, client) -> {
                    if (client.getClientId().equals(ignoredClientId)) {
                        return;
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
}
