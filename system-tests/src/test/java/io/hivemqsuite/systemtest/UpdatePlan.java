package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@code update start} through the CLI, as a user runs it, and the wait for its plan. */
final class UpdatePlan {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpdatePlan() {
    }

    /** The finished plan's view and how long it took from {@code update start} to COMPLETE. */
    record Done(JsonNode view, long millis) {
    }

    /** Starts the update and waits for the plan to be COMPLETE; an ERROR fails at once with the plan shown. */
    static Done run(TestCluster cluster, String service, Path options, Duration timeout) {
        Cli.Result update = cluster.run("--name", service, "update", "start", "--options", options.toString());
        assertEquals(0, update.exitCode(), update.toString());
        long start = System.nanoTime();
        JsonNode done = Poll.until(timeout, "update plan COMPLETE", () -> {
            JsonNode view = view(cluster, service, "update");
            assertNotEquals("ERROR", view.path("status").asText(), view.toString());
            return "COMPLETE".equals(view.path("status").asText()) ? view : null;
        });
        return new Done(done, (System.nanoTime() - start) / 1_000_000);
    }

    /** {@code plan status PLAN --json} through the CLI. */
    static JsonNode view(TestCluster cluster, String service, String plan) {
        Cli.Result status = cluster.run("--name", service, "plan", "status", plan, "--json");
        assertEquals(0, status.exitCode(), status.toString());
        try {
            return JSON.readTree(status.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
