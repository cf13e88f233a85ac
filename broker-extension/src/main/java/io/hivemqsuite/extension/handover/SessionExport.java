package io.hivemqsuite.extension.handover;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.hivemqsuite.protocol.handover.PersistentSessions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Answers the node agent's request for this broker's persistent sessions ({@link PersistentSessions}): when the
 * request file appears in the extension folder (checked every 500 ms), every session with an expiry above zero is
 * written with its subscriptions, and the request removed. The agent hands them over to the clients' next homes when
 * this node is decommissioned; the SDK gives no access to a session's queued messages, so those are not exported.
 */
public final class SessionExport {
    private static final Logger LOG = Logger.getLogger(SessionExport.class.getName());

    private static final String SUITE_CLIENTS = "hivemq-suite-";

    private final Path folder;

    public SessionExport(Path extensionHome) {
        this.folder = extensionHome;
    }

    public void start() {
        Services.extensionExecutorService().scheduleWithFixedDelay(this::answerIfAsked, 500, 500,
                TimeUnit.MILLISECONDS);
    }

    private void answerIfAsked() {
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
}
