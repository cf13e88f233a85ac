package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.ModifiableConnectPacket;
import com.hivemq.extension.sdk.api.packets.publish.ModifiableWillPublish;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Will messages for the whole cluster. The broker publishes a client's will itself (on a lost connection, after the
 * will delay, at session takeover) through its internal publish path, which runs no inbound interceptor, so the
 * router never saw it: only subscribers on the client's own node got it.
 *
 * <p>The broker stays the one that decides <em>whether and when</em> a will is published (delay, keep alive,
 * DISCONNECT with will, takeover); this class only learns that it happened and hands it to the router:
 * <ol>
 *   <li>At CONNECT the will gets a reserved user property {@value #MARKER} with an id unique to this connection.</li>
 *   <li>A catcher, an internal client of this broker connected over loopback, is subscribed (through the
 *   subscription store, QoS 2, retain as published) to the topic of every will that may still be published.</li>
 *   <li>When the broker publishes the will, the catcher's outbound interceptor sees it with its id, drops the
 *   delivery to the catcher and routes the will (without the marker) to the peers as the client's own publish.</li>
 * </ol>
 * Every delivery to an outside client loses the marker; a will whose client connected on another node within the
 * will delay (see {@link #cancel}) is delivered nowhere, as a reconnect on one node would cancel it.
 */
final class WillRelay implements MqttCallback {
    private static final Logger LOG = Logger.getLogger(WillRelay.class.getName());
    static final String MARKER = "hivemq-suite-will";
    /** How long a will of a replaced connection stays known: the broker may publish it at the takeover. */
    private static final long SUPERSEDED_GRACE_SECONDS = 30;

    /** A will the broker may still publish. */
    private record Pending(String clientId, String topic, long delaySeconds) {
    }

    private final String catcherId;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Client id -> id of the will of its latest connection on this node. */
    private final Map<String, String> latest = new ConcurrentHashMap<>();
    private final Map<String, Integer> topicRefs = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Consumer<PublishPacket> route;
    private volatile MqttAsyncClient catcher;
    private volatile boolean catcherUp;

    /** The outbound interceptor of every outside client: the marker never reaches a client. */
    final PublishOutboundInterceptor deliveries = this::delivery;
    /** The outbound interceptor of the catcher. */
    final PublishOutboundInterceptor caught = this::caught;

    WillRelay(String service, int self, Consumer<PublishPacket> route) {
        this.catcherId = "hivemq-suite-wills-" + service + "-" + self;
        this.idPrefix = self + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        this.route = route;
    }

    String catcherId() {
        return catcherId;
    }

    /** Connects the catcher to this broker at {@code address} (host:port of its plain listener); idempotent. */
    synchronized void start(String address, String secret) {
        if (catcher != null) {
            return;
        }
        try {
            catcher = new MqttAsyncClient("tcp://" + address, catcherId, new MemoryPersistence());
            catcher.setCallback(this);
        } catch (MqttException e) {
            LOG.warning("will relay: cannot start the catcher on " + address + ": " + e);
            return;
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setUserName(InternalCredential.USERNAME);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setKeepAliveInterval(30);
        connect(options);
    }

    /** Paho reconnects by itself only after a first success; the broker's listener opens after this extension starts. */
    private void connect(MqttConnectionOptions options) {
        try {
            catcher.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    Services.extensionExecutorService().schedule(() -> connect(options), 500, TimeUnit.MILLISECONDS);
                }
            });
        } catch (MqttException e) {
            Services.extensionExecutorService().schedule(() -> connect(options), 500, TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        MqttAsyncClient c = catcher;
        if (c != null) {
            try {
                c.disconnectForcibly(0, 1000, false);
                c.close(true);
            } catch (MqttException ignored) {
                // stopping anyway
            }
        }
    }

    // ---- connections -------------------------------------------------------------------------------------

    /** From the CONNECT interceptor of an outside client. */
    void connecting(String clientId, ModifiableConnectPacket connect) {
        String previous = latest.remove(clientId);
        if (previous != null) {
            // The broker may still publish the replaced connection's will (takeover); forget it a little later.
            Services.extensionExecutorService().schedule(() -> forget(previous), SUPERSEDED_GRACE_SECONDS,
                    TimeUnit.SECONDS);
        }
        Optional<ModifiableWillPublish> will = connect.getModifiableWillPublish();
        if (will.isEmpty()) {
            return;
        }
        String topic = will.get().getTopic();
        if (ControlTopics.isControlTopic(topic) || topic.startsWith("$")) {
            return;
        }
        String id = idPrefix + ids.incrementAndGet();
        will.get().getUserProperties().addUserProperty(MARKER, id);
        pending.put(id, new Pending(clientId, topic, will.get().getWillDelay()));
        latest.put(clientId, id);
        if (topicRefs.merge(topic, 1, Integer::sum) == 1 && catcherUp) {
            subscribeCatcher(topic);
        }
    }

    /** A DISCONNECT that discards the will (reason 0x00 or MQTT 3): the broker will not publish it. */
    void disconnectedNormally(String clientId) {
        String id = latest.remove(clientId);
        if (id != null) {
            forget(id);
        }
    }

    /**
     * The client connected on another node. A will that waits for its delay here is cancelled, as a reconnect on
     * one node cancels it; answers the will's delay, or -1 when this node holds no will of the client.
     */
    long cancel(String clientId) {
        String id = latest.get(clientId);
        Pending will = id == null ? null : pending.get(id);
        if (will == null) {
            return -1;
        }
        if (will.delaySeconds() > 0) {
            cancelled.add(id);
        }
        return will.delaySeconds();
    }

    private void forget(String id) {
        Pending will = pending.remove(id);
        if (will == null) {
            return;
        }
        cancelled.remove(id);
        Integer left = topicRefs.computeIfPresent(will.topic(), (t, n) -> n <= 1 ? null : n - 1);
        if (left == null && catcherUp) {
            Services.subscriptionStore().removeSubscription(catcherId, will.topic());
        }
    }

    // ---- deliveries --------------------------------------------------------------------------------------

    private void delivery(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        if (packet.getUserProperties().isEmpty()) {
            return;
        }
        Optional<String> id = packet.getUserProperties().getFirst(MARKER);
        if (id.isEmpty()) {
            return;
        }
        output.getPublishPacket().getUserProperties().removeName(MARKER);
        if (cancelled.contains(id.get())) {
            output.preventPublishDelivery();
        }
    }

    private void caught(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        output.preventPublishDelivery(); // the catcher is no subscriber: nothing is ever sent to it
        PublishPacket packet = input.getPublishPacket();
        Optional<String> id = packet.getUserProperties().getFirst(MARKER);
        if (id.isEmpty() || !pending.containsKey(id.get())) {
            return; // a client's publish on a will topic (already routed), or a copy of a will routed before
        }
        boolean wasCancelled = cancelled.contains(id.get());
        Pending will = pending.get(id.get());
        latest.remove(will.clientId(), id.get());
        forget(id.get());
        if (!wasCancelled) {
            route.accept(packet);
        }
    }

    // ---- the catcher -------------------------------------------------------------------------------------

    private void subscribeCatcher(String topic) {
        Services.subscriptionStore().addSubscription(catcherId, Builders.topicSubscription()
                        .topicFilter(topic)
                        .qos(Qos.EXACTLY_ONCE)
                        .retainAsPublished(true)
                        .noLocal(false)
                        .build())
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warning("will relay: cannot watch " + topic + ": " + e);
                    }
                });
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // A clean session each time: every topic of a pending will is watched again.
        catcherUp = true;
        topicRefs.keySet().forEach(this::subscribeCatcher);
        LOG.info("will relay: catcher connected; wills of this node's clients are routed to its peers");
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        catcherUp = false;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
