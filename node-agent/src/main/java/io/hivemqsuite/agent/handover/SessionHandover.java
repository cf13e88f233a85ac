package io.hivemqsuite.agent.handover;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import io.hivemqsuite.agent.config.AgentSettings;
import io.hivemqsuite.protocol.endpoint.ClientHome;
import io.hivemqsuite.protocol.handover.PersistentSessions;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Before this node leaves the cluster, moves its persistent sessions to the node each client will be sent to next
 * (the VIP's rendezvous home among the remaining nodes, {@link ClientHome}). A connected client is disconnected
 * (SERVER_MOVED) while this broker still runs: it reconnects through the VIP, and the routing's session claim takes
 * its subscriptions and queued messages over from here. An offline session gets a twin at its next home: the same
 * client identifier connects there with a clean start and the same session expiry, subscribes the same filters at
 * the same QoS, and disconnects, so that node keeps what the client is owed from then on.
 *
 * <p>Not handed over: what this broker had queued for an <em>offline</em> session before its twin existed (the
 * extension SDK gives no access to a session's queue; the claim would move it only if the client came back while
 * this node still runs). A client that reconnects straight to this node's address rather than the VIP comes back
 * here and loses its session when the broker stops.
 */
@Singleton
public class SessionHandover {
    private static final Logger LOG = Logger.getLogger(SessionHandover.class);
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration MOVE_TIMEOUT = Duration.ofSeconds(20);
    private static final long MQTT_MAX_EXPIRY = 4_294_967_295L;

    private final AgentSettings settings;

    @Inject
    public SessionHandover(AgentSettings settings) {
        this.settings = settings;
    }

    /**
     * @param sessions      offline persistent sessions given a twin at their next home
     * @param subscriptions the subscriptions those twins took
     * @param moved         connected clients with a persistent session that moved (their session left this node)
     * @param stillHere     persistent sessions whose client is still connected here after the wait
     * @param failed        client identifiers whose twin could not be made, with the reason
     */
    public record Result(int sessions, int subscriptions, int moved, int stillHere, List<String> failed) {
    }

    /**
     * Hands every persistent session over to its next home among {@code remaining} (which must not name us). Offline
     * sessions get a twin there (subscriptions, no queue); connected clients are disconnected so that they reconnect
     * through the VIP while this broker still runs, and the routing's session claim moves their subscriptions and
     * queued messages to the new node.
     */
    public Result handOver(PeerTable remaining) {
        if (remaining.nodes().isEmpty() || remaining.nodes().containsKey(settings.nodeIndex())) {
            throw new IllegalArgumentException("nodes must list the remaining nodes, without this one ("
                    + settings.nodeIndex() + "): " + remaining.nodes().keySet());
        }
        PersistentSessions sessions = export();
        int subscriptions = 0;
        int twins = 0;
        List<String> failed = new ArrayList<>();
        for (PersistentSessions.Session session : sessions.sessions()) {
            if (session.connected()) {
                continue;
            }
            int home = ClientHome.among(session.clientId(), remaining.nodes().keySet());
            try {
                twin(session, remaining.host(home), remaining.port(home));
                subscriptions += session.subscriptions().size();
                twins++;
            } catch (RuntimeException e) {
                failed.add(session.clientId() + " (to hivemq-" + home + "): " + e.getMessage());
            }
        }
        long connected = sessions.sessions().stream().filter(PersistentSessions.Session::connected).count();
        int stillHere = 0;
        if (connected > 0) {
            request(PersistentSessions.MOVE_REQUEST_FILE, null);
            long end = System.nanoTime() + MOVE_TIMEOUT.toNanos();
            do {
                stillHere = (int) export().sessions().stream().filter(PersistentSessions.Session::connected).count();
            } while (stillHere > 0 && System.nanoTime() < end);
        }
        int moved = (int) connected - stillHere;
        LOG.infof("handover to %s: %d offline sessions got a twin (%d subscriptions), %d connected clients moved, %d "
                + "still here, %d failed", remaining.nodes().keySet(), twins, subscriptions, moved, stillHere,
                failed.size());
        return new Result(twins, subscriptions, Math.max(0, moved), stillHere, failed);
    }

    /** Asks the broker extension for its persistent sessions and waits for the answer. */
    private PersistentSessions export() {
        Path answer = extensionFolder().resolve(PersistentSessions.FILE_NAME);
        try {
            Files.deleteIfExists(answer);
            request(PersistentSessions.REQUEST_FILE, answer);
            return PersistentSessions.decode(Files.readString(answer));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the session export in " + extensionFolder(), e);
        }
    }

    /** Creates a request file and waits until the extension took it (and wrote {@code answer}, if one is due). */
    private void request(String file, Path answer) {
        Path request = extensionFolder().resolve(file);
        try {
            Files.writeString(request, "");
            long end = System.nanoTime() + EXPORT_TIMEOUT.toNanos();
            while (Files.exists(request) || (answer != null && !Files.exists(answer))) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("the broker extension did not answer " + file + " within "
                            + EXPORT_TIMEOUT.toSeconds() + " s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private Path extensionFolder() {
        return settings.brokerHome().resolve("extensions").resolve(ExtensionSettings.EXTENSION_ID);
    }

    /** A clean start replaces an older session there (what it queued meanwhile this node delivered live). */
    private static void twin(PersistentSessions.Session session, String host, int port) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(session.clientId())
                .serverHost(host).serverPort(port).buildBlocking();
        client.connectWith().cleanStart(true)
                .sessionExpiryInterval(Math.min(session.expirySeconds(), MQTT_MAX_EXPIRY)).send();
        try {
            if (!session.subscriptions().isEmpty()) {
                List<Mqtt5Subscription> subscriptions = session.subscriptions().stream()
                        .map(s -> Mqtt5Subscription.builder().topicFilter(s.filter())
                                .qos(MqttQos.fromCode(s.qos())).build()).toList();
                client.subscribeWith().addSubscriptions(subscriptions).send();
            }
        } finally {
            client.disconnect();
        }
    }
}
