package io.hivemqsuite.agent.handover;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import io.hivemqsuite.agent.config.AgentSettings;
import io.hivemqsuite.agent.config.InternalSecret;
import io.hivemqsuite.protocol.endpoint.ClientHome;
import io.hivemqsuite.protocol.handover.PersistentSessions;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.security.InternalCredential;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Before this node leaves the cluster, gives each of its persistent sessions a twin on the node its client will be
 * sent to next (the VIP's rendezvous home among the remaining nodes, {@link ClientHome}): the same client identifier
 * connects there with a clean start and the same session expiry, subscribes the same filters at the same QoS, and
 * disconnects. From then on that node keeps what the client is owed, while this node still delivers live (a
 * duplicate at most); when this broker stops the client reconnects through the VIP and finds its session.
 *
 * <p>Not handed over: messages this broker had queued for a session before the twin existed (the extension SDK
 * gives no access to a session's queue). A client that is connected and keeps up has none left by the time the
 * broker stops; an offline client loses what was queued for it here.
 */
@Singleton
public class SessionHandover {
    private static final Logger LOG = Logger.getLogger(SessionHandover.class);
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration MOVE_TIMEOUT = Duration.ofSeconds(20);
    private static final long MQTT_MAX_EXPIRY = 4_294_967_295L;

    private final AgentSettings settings;
    private final InternalSecret secret;

    @Inject
    public SessionHandover(AgentSettings settings, InternalSecret secret) {
        this.settings = settings;
        this.secret = secret;
    }

    /** @param failed client identifiers whose twin could not be made, with the reason */
    public record Result(int sessions, int subscriptions, List<String> failed) {
    }

    /** Hands every persistent session over to its next home among {@code remaining} (which must not name us). */
    public Result handOver(PeerTable remaining) {
        if (remaining.nodes().isEmpty() || remaining.nodes().containsKey(settings.nodeIndex())) {
            throw new IllegalArgumentException("nodes must list the remaining nodes, without this one ("
                    + settings.nodeIndex() + "): " + remaining.nodes().keySet());
        }
        String credential = secret.value().orElseThrow(() -> new IllegalStateException(secret.problem()));
        PersistentSessions sessions = export();
        int subscriptions = 0;
        List<String> failed = new ArrayList<>();
        for (PersistentSessions.Session session : sessions.sessions()) {
            int home = ClientHome.among(session.clientId(), remaining.nodes().keySet());
            try {
                twin(session, remaining.host(home), remaining.port(home), credential);
                subscriptions += session.subscriptions().size();
            } catch (RuntimeException e) {
                failed.add(session.clientId() + " (to hivemq-" + home + "): " + e.getMessage());
            }
        }
        LOG.infof("handed over %d persistent sessions (%d subscriptions) to the remaining nodes %s; %d failed",
                sessions.sessions().size() - failed.size(), subscriptions, remaining.nodes().keySet(), failed.size());
        return new Result(sessions.sessions().size() - failed.size(), subscriptions, failed);
    }

    /**
     * Before this broker restarts: its connected outside clients are asked to move (the extension disconnects them
     * with SERVER_MOVED; the VIP, which has this node drained for a move, sends them to another node, whose session
     * claim takes their subscriptions and queued messages from here). Waits until none of the persistent sessions
     * that were connected is left here, or {@link #MOVE_TIMEOUT}.
     *
     * @param moved     persistent sessions that were connected here and have left
     * @param stillHere persistent sessions that were connected here and are still here after the wait
     */
    public record Move(int moved, int stillHere) {
    }

    public Move moveClients() {
        Set<String> connected = new HashSet<>();
        for (PersistentSessions.Session session : export().sessions()) {
            if (session.connected()) {
                connected.add(session.clientId());
            }
        }
        request(PersistentSessions.MOVE_REQUEST_FILE, null);
        long end = System.nanoTime() + MOVE_TIMEOUT.toNanos();
        Set<String> left = new HashSet<>(connected);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Set<String> here = new HashSet<>();
            export().sessions().forEach(s -> here.add(s.clientId()));
            left.retainAll(here);
            if (!left.isEmpty()) {
                pause(200);
            }
        }
        if (left.isEmpty()) {
            LOG.infof("moved %d connected clients with a persistent session to other nodes", connected.size());
        } else {
            LOG.warnf("moved %d connected clients with a persistent session to other nodes; %d still here after %d s",
                    connected.size() - left.size(), left.size(), MOVE_TIMEOUT.toSeconds());
        }
        return new Move(connected.size() - left.size(), left.size());
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

    /** Creates a request file and waits until the extension took it (and wrote {@code answer}, when one is due). */
    private void request(String file, Path answer) {
        Path request = extensionFolder().resolve(file);
        try {
            Files.writeString(request, "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + request, e);
        }
        long end = System.nanoTime() + EXPORT_TIMEOUT.toNanos();
        while (Files.exists(request) || (answer != null && !Files.exists(answer))) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the broker extension did not answer " + file + " within "
                        + EXPORT_TIMEOUT.toSeconds() + " s");
            }
            pause(100);
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private Path extensionFolder() {
        return settings.brokerHome().resolve("extensions").resolve(ExtensionSettings.EXTENSION_ID);
    }

    /**
     * A clean start replaces an older session there (what it queued meanwhile this node delivered live). The twin
     * connects as one of the suite's internal clients: as an outside client its CONNECT would claim the client id
     * cluster-wide and take the live connection on this node over (broker-extension SessionClaims).
     */
    private static void twin(PersistentSessions.Session session, String host, int port, String credential) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(session.clientId())
                .serverHost(host).serverPort(port)
                .simpleAuth().username(InternalCredential.USERNAME)
                .password(credential.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
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
