package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.hivemqsuite.protocol.security.InternalCredential;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Takes out what an offline session on this broker has queued, so that it can move with its client to another node
 * (see {@link SessionClaims}). The SDK cannot read a session's queue, so this resumes the session as its client
 * would: an internal connection with the client's id and clean start 0 on this broker's own listener, to which the
 * broker sends the queued messages; this class's outbound interceptor takes each one instead of delivering it. The
 * resumed connection keeps a short session expiry: the session stays visible here (a node agent moving its clients
 * waits for it to go) until {@link SessionClaims} ends it after the drain, and a failed end still lets it expire.
 */
final class SessionDrain {
    private static final Logger LOG = Logger.getLogger(SessionDrain.class.getName());
    /** The broker sends a resumed session's queue at once; a pause this long after the last message ends it. */
    private static final long QUIET_MILLIS = 500;
    private static final long MAX_MILLIS = 5000;
    private static final long LEFTOVER_EXPIRY_SECONDS = 60;

    private final Map<String, List<Envelope>> draining = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastTaken = new ConcurrentHashMap<>();

    /** The outbound interceptor of a draining connection. */
    final PublishOutboundInterceptor taken = this::taken;

    boolean isDraining(String clientId) {
        return draining.containsKey(clientId);
    }

    /**
     * Resumes {@code clientId}'s session on this broker ({@code address}) and returns what it had queued, in order;
     * blocks up to a few seconds. Empty when the session could not be resumed (then nothing was taken).
     */
    List<Envelope> drain(String clientId, String address, String secret) {
        List<Envelope> queued = new CopyOnWriteArrayList<>();
        draining.put(clientId, queued);
        lastTaken.put(clientId, new long[]{System.nanoTime()});
        try {
            MqttAsyncClient client = new MqttAsyncClient("tcp://" + address, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(LEFTOVER_EXPIRY_SECONDS);
            options.setUserName(InternalCredential.USERNAME);
            options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
            options.setConnectionTimeout(3);
            client.connect(options).waitForCompletion(3000);
            // The quiet time counts from the CONNACK: a slow connect must not end the drain before the queue came.
            lastTaken.get(clientId)[0] = System.nanoTime();
            long start = System.nanoTime();
            while (System.nanoTime() - lastTaken.get(clientId)[0] < QUIET_MILLIS * 1_000_000L
                    && System.nanoTime() - start < MAX_MILLIS * 1_000_000L) {
                Thread.sleep(50);
            }
            client.disconnect().waitForCompletion(2000);
            client.close();
        } catch (MqttException e) {
            LOG.warning("cannot take the queued messages of client " + clientId + " out of its session: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            draining.remove(clientId);
            lastTaken.remove(clientId);
        }
        return new ArrayList<>(queued);
    }

    private void taken(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        output.preventPublishDelivery();
        String clientId = input.getClientInformation().getClientId();
        List<Envelope> queued = draining.get(clientId);
        if (queued == null) {
            return;
        }
        PublishPacket packet = input.getPublishPacket();
        List<com.hivemq.extension.sdk.api.packets.general.UserProperty> user =
                new ArrayList<>(packet.getUserProperties().asList());
        // The cluster's own marks were meant for this node's deliveries; the new node decides afresh.
        user.removeIf(p -> p.getName().equals(SharedGroups.OWNER_PROPERTY) || p.getName().equals(WillRelay.MARKER));
        queued.add(Envelope.of(packet, user, null, System.currentTimeMillis()));
        long[] last = lastTaken.get(clientId);
        if (last != null) {
            last[0] = System.nanoTime();
        }
    }
}
