package io.hivemqsuite.agent.sidecar;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.sidecar.SidecarChange;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * No sidecar change forgotten: a node whose folder is new replays every change sidecar-svc recorded
 * ({@code GET /v1/changes}, internal credential as bearer) before its broker's first start, so it serves with the
 * same licenses, extensions and extension config as the others before it can count as healthy. A node folder that
 * already existed has seen the changes through the plans themselves and is only marked. A catch-up that could not
 * finish leaves a pending mark, so the agent's next start tries again instead of taking the folder as up to date.
 */
public final class SidecarCatchUp {
    private static final Logger LOG = Logger.getLogger(SidecarCatchUp.class);
    static final String DONE_FILE = "sidecar-catch-up.done";
    static final String PENDING_FILE = "sidecar-catch-up.pending";

    private SidecarCatchUp() {
    }

    /** Answers notes for the node status (empty when all is well). */
    public static List<String> run(Path agentDir, boolean freshHome, SidecarSettings settings, String credential,
                                   SidecarExecutor executor) {
        List<String> notes = new ArrayList<>();
        Path done = agentDir.resolve(DONE_FILE);
        Path pending = agentDir.resolve(PENDING_FILE);
        if (Files.exists(done) && !Files.exists(pending)) {
            return notes;
        }
        try {
            if ((freshHome || Files.exists(pending)) && !settings.sidecarUrl().isBlank()) {
                Files.createDirectories(agentDir);
                Files.writeString(pending, Long.toString(System.currentTimeMillis()));
                List<SidecarChange> changes = fetch(settings.sidecarUrl(), credential, settings.sidecarRequired());
                changes.sort(Comparator.comparingLong(SidecarChange::seq));
                for (SidecarChange change : changes) {
                    CommandResult r = executor.applyNow("catch-up-" + change.seq(), change.plan(),
                            change.parameters());
                    LOG.infof("catch-up of sidecar change %d (%s): %s", change.seq(), change.plan(), r.message());
                    if (!r.ok()) {
                        notes.add("sidecar change " + change.seq() + " (" + change.plan() + ") not applied: "
                                + r.message());
                    }
                }
            }
            if (notes.isEmpty()) {
                Files.createDirectories(agentDir);
                Files.writeString(done, Long.toString(System.currentTimeMillis()));
                Files.deleteIfExists(pending);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("sidecar catch-up failed: %s", e.getMessage());
            notes.add("sidecar changes not caught up: " + e.getMessage());
        }
        return notes;
    }

    private static final long RETRY_FOR_MS = 60_000;
    private static final InternalHttp HTTP = new InternalHttp(Duration.ofSeconds(3));

    /**
     * A sidecar-svc that is not ready yet (503 while it reconnects to ZooKeeper), or that does not listen while it is
     * {@code required} (restarting under its supervisor), is asked again for up to a minute before the node gives up
     * and says so in its status. One that does not listen and is not required is not deployed: nothing to replay.
     */
    static List<SidecarChange> fetch(String sidecarUrl, String credential, boolean required) throws IOException {
        long deadline = System.currentTimeMillis() + RETRY_FOR_MS;
        while (true) {
            try {
                return fetchOnce(sidecarUrl, credential);
            } catch (IOException e) {
                if (e instanceof ConnectException && !required) {
                    LOG.infof("no sidecar service at %s: nothing to catch up", sidecarUrl);
                    return new ArrayList<>();
                }
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                LOG.infof("sidecar changes not readable yet (%s); asking again", e.getMessage());
                try {
                    Thread.sleep(500); // a first deploy waits here while sidecar-svc starts: keep the poll short
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
    }

    private static List<SidecarChange> fetchOnce(String sidecarUrl, String credential) throws IOException {
        InternalHttp.Response response = HTTP.send("GET", sidecarUrl + "/v1/changes",
                Map.of("Authorization", "Bearer " + credential), null, Duration.ofSeconds(10));
        if (response.statusCode() != 200) {
            throw new IOException(sidecarUrl + "/v1/changes answered HTTP " + response.statusCode());
        }
        return new ArrayList<>(ControlJson.mapper().readValue(response.body(),
                new TypeReference<List<SidecarChange>>() { }));
    }
}
