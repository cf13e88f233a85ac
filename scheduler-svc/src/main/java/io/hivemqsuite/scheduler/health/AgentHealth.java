package io.hivemqsuite.scheduler.health;

import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.scheduler.backend.ClusterBackend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each node agent last said about its node, from {@code GET <agent>/v1/node/status}. An answer older than a
 * few polls counts as none: a hung agent must not look healthy forever.
 */
public final class AgentHealth {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(900);
    private static final long STALE_AFTER_MS = 5_000;

    private final ClusterBackend backend;
    private final String credential;
    private final InternalHttp http = new InternalHttp(REQUEST_TIMEOUT);
    private final Map<Integer, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(NodeStatus status, long atMs) {
    }

    public AgentHealth(ClusterBackend backend, String credential) {
        this.backend = backend;
        this.credential = credential;
    }

    /** Asks every listed node at once and waits for all answers (or their timeouts). */
    public void poll(List<Integer> indexes) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int index : indexes) {
            calls.add(http.sendAsync("GET", backend.agentUrl(index) + "/v1/node/status",
                            Map.of("Authorization", "Bearer " + credential, "Accept", "application/json"), null,
                            REQUEST_TIMEOUT)
                    .thenAccept(response -> {
                        if (response.statusCode() == 200) {
                            seen.put(index, new Seen(ControlJson.read(response.body(), NodeStatus.class),
                                    System.currentTimeMillis()));
                        }
                    })
                    .exceptionally(e -> null));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    }

    /** The node's last fresh status; empty when its agent has not answered lately. */
    public Optional<NodeStatus> status(int index) {
        Seen s = seen.get(index);
        if (s == null || System.currentTimeMillis() - s.atMs() > STALE_AFTER_MS) {
            return Optional.empty();
        }
        return Optional.of(s.status());
    }

    /** Forgets a node's status: after a kill, the old answer says nothing about the new agent. */
    public void forget(int index) {
        seen.remove(index);
    }
}
