package io.hivemqsuite.extension.handover;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.hivemqsuite.protocol.handover.PersistentSessions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Answers the node agent's requests (files in the extension folder, checked every 500 ms):
 * <ul>
 *   <li>for this broker's persistent sessions ({@link PersistentSessions#REQUEST_FILE}): every session with an expiry
 *   above zero is written with its subscriptions. The agent hands them over to the clients' next homes when this node
 *   is decommissioned; the SDK gives no access to a session's queued messages, so those are not exported;</li>
 *   <li>to move the connected clients away ({@link PersistentSessions#MOVE_REQUEST_FILE}) before this broker restarts:
 *   each outside client is disconnected with SERVER_MOVED and no will (it is not gone), reconnects through the VIP,
 *   which sends it to another node while this one is drained, and that node's session claim takes its subscriptions
 *   and queued messages from here while this broker still runs.</li>
 * </ul>
 */
public final class SessionExport {
    private static final Logger LOG = Logger.getLogger(SessionExport.class.getName());

    private static final String SUITE_CLIENTS = "hivemq-suite-";

    private final Path folder;
    private final AtomicBoolean moving = new AtomicBoolean();

    public SessionExport(Path extensionHome) {
        this.folder = extensionHome;
    }

    public void start() {
        Services.extensionExecutorService().scheduleWithFixedDelay(this::answerIfAsked, 500, 500,
                TimeUnit.MILLISECONDS);
    }

    private void answerIfAsked() {
        if (Files.exists(folder.resolve(PersistentSessions.MOVE_REQUEST_FILE))) {
            moveConnectedClients();
        }
        Path request = folder.resolve(PersistentSessions.REQUEST_FILE);
        if (!Files.exists(request)) {
            return;
        }
        Map<String, long[]> sessions = new ConcurrentHashMap<>();
        Map<String, List<PersistentSessions.Subscription>> subscriptions = new ConcurrentHashMap<>();
        Services.clientService().iterateAllClients((context, session) -> {
            // the suite's own clients (agent, routing links) are never handed over: their sessions belong here
            if (session.getSessionExpiryInterval() > 0 && !session.getClientIdentifier().startsWith(SUITE_CLIENTS)) {
                sessions.put(session.getClientIdentifier(),
                        new long[]{session.getSessionExpiryInterval(), session.isConnected() ? 1 : 0});
            }
        }).thenCompose(v -> Services.subscriptionStore().iterateAllSubscriptions((context, client) -> {
            List<PersistentSessions.Subscription> list = new ArrayList<>();
            for (TopicSubscription s : client.getSubscriptions()) {
                list.add(new PersistentSessions.Subscription(s.getTopicFilter(), s.getQos().getQosNumber()));
            }
            subscriptions.put(client.getClientId(), list);
        })).whenComplete((v, error) -> {
            try {
                if (error != null) {
                    LOG.warning("cannot export the persistent sessions: " + error);
                    return;
                }
                List<PersistentSessions.Session> out = new ArrayList<>();
                sessions.forEach((id, info) -> out.add(new PersistentSessions.Session(id, info[0], info[1] == 1,
                        subscriptions.getOrDefault(id, List.of()))));
                new PersistentSessions(out).write(folder);
                Files.deleteIfExists(request);
                LOG.info("exported " + out.size() + " persistent sessions for a handover");
            } catch (Exception e) {
                LOG.warning("cannot write the persistent sessions: " + e);
            }
        });
    }

    private void moveConnectedClients() {
        if (!moving.compareAndSet(false, true)) {
            return;
        }
        List<String> connected = Collections.synchronizedList(new ArrayList<>());
        Services.clientService().iterateAllClients((context, session) -> {
            if (session.isConnected() && !session.getClientIdentifier().startsWith(SUITE_CLIENTS)) {
                connected.add(session.getClientIdentifier());
            }
        }).whenComplete((v, error) -> {
            try {
                if (error != null) {
                    LOG.warning("cannot list the connected clients to move: " + error);
                    return;
                }
                for (String id : connected) {
                    Services.clientService().disconnectClient(id, true, DisconnectReasonCode.SERVER_MOVED,
                            "this node restarts; reconnect through the service address");
                }
                Files.deleteIfExists(folder.resolve(PersistentSessions.MOVE_REQUEST_FILE));
                LOG.info("asked " + connected.size() + " connected clients to move to another node");
            } catch (Exception e) {
                LOG.warning("cannot answer the move request: " + e);
            } finally {
                moving.set(false);
            }
        });
    }
}
