package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.systemtest.ClusterRoutingSystemTest.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that stops answering for good (its agent and broker frozen with SIGSTOP, as a hung machine) is reported in
 * the {@code recovery} plan once {@code service.recovery.grace_period_secs} has passed, and stays reported, untouched,
 * while {@code auto_replace_enabled} is off; an {@code update start} that turns it on replaces the node as {@code pod
 * replace} does: a fresh folder, a new agent, and the cluster's retained messages on the new node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryPlanSystemTest {
    private static final String SERVICE = "recov";
    private static final int GRACE_SECS = 15;
    private static final String PHASE = "replace-hivemq-2";

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-recov-");
        service = cluster.install(SERVICE, options(false));
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close(); // SIGKILL ends the frozen processes too
    }

    private static String options(boolean autoReplace) {
        return "{\"service\": {\"name\": \"" + SERVICE + "\", \"recovery\": {\"grace_period_secs\": " + GRACE_SECS
                + ", \"auto_replace_enabled\": " + autoReplace + "}}, \"node\": {\"count\": 3, \"mem\": 512, "
                + "\"heap\": 128}}";
    }

    @Test
    void anUnreachableNodeIsReportedAfterTheGracePeriodAndReplacedOnlyWhenAllowed() throws Exception {
        Client setter = Client.connect(service.layout().nodeAddress(0), "rp-retain-setter", true);
        setter.publish("rp/retained", "before-failure", 1, true);
        setter.close();
        Path folder = service.layout().nodeDir(2);
        Path marker = Files.writeString(folder.resolve("hivemq").resolve("data").resolve("rp-marker"), "old folder");
        List<SuiteProcesses.Proc> agents = SuiteProcesses.withRole(folder.toString(), SuiteProcesses.Role.AGENT);
        assertEquals(1, agents.size(), agents.toString());
        long agent = agents.get(0).pid();
        long broker = service.nodeStatus(2).brokerPid();

        long frozenAt = System.nanoTime();
        signal("STOP", agent, broker);
        JsonNode reported = Poll.until(Duration.ofSeconds(GRACE_SECS + 45), "hivemq-2 reported in the recovery plan",
                () -> phase().filter(p -> "WAITING".equals(p.path("status").asText())).orElse(null));
        long reportedAfterMs = (System.nanoTime() - frozenAt) / 1_000_000;
        String message = reported.path("steps").get(0).path("message").asText();
        System.out.println("hivemq-2 reported " + reportedAfterMs + " ms after it froze: " + reported);
        assertTrue(reportedAfterMs >= GRACE_SECS * 1000L, "not before the grace period: " + reportedAfterMs + " ms");
        assertTrue(message.contains("hivemq-2 unreachable") && message.contains("auto_replace_enabled is off"),
                message);

        Poll.holds(Duration.ofSeconds(10), () -> {
            assertEquals("WAITING", phase().orElseThrow().path("status").asText(), "still reported");
            assertTrue(ProcessHandle.of(agent).isPresent(), "the frozen agent is left alone");
            assertTrue(Files.exists(marker), "the folder is kept");
        });

        Path allow = Files.writeString(cluster.home.resolve("recov-auto.json"), options(true));
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", allow.toString());
        assertEquals(0, update.exitCode(), update.toString());
        long allowedAt = System.nanoTime();
        NodeStatus fresh = Poll.until(Duration.ofMinutes(2), "hivemq-2 replaced and healthy", () -> {
            NodeStatus status = service.nodeStatus(2);
            return status.healthy() && status.brokerStarts() == 1 && status.brokerPid() != broker ? status : null;
        });
        JsonNode done = Poll.until(Duration.ofSeconds(30), PHASE + " COMPLETE",
                () -> phase().filter(p -> "COMPLETE".equals(p.path("status").asText())).orElse(null));
        System.out.println("hivemq-2 replaced and healthy " + (System.nanoTime() - allowedAt) / 1_000_000
                + " ms after auto_replace_enabled was turned on: " + done);
        assertTrue(Files.notExists(marker), "a fresh folder");
        assertTrue(ProcessHandle.of(agent).isEmpty() && ProcessHandle.of(broker).isEmpty(), "the frozen ones are gone");
        assertEquals(3, fresh.peers().size(), "rejoined the 3-node cluster: " + fresh.peers());

        Client late = Client.connect(service.layout().nodeAddress(2), "rp-retain-reader", true);
        try {
            late.subscribe("rp/#", 1);
            Poll.until(Duration.ofSeconds(20), "the cluster's retained message on the new hivemq-2",
                    () -> late.payloads("rp/retained").contains("before-failure"));
        } finally {
            late.close();
        }
    }

    private java.util.Optional<JsonNode> phase() {
        for (JsonNode phase : UpdatePlan.view(cluster, SERVICE, "recovery").path("phases")) {
            if (PHASE.equals(phase.path("name").asText())) {
                return java.util.Optional.of(phase);
            }
        }
        return java.util.Optional.empty();
    }

    private static void signal(String signal, long... pids) throws Exception {
        for (long pid : pids) {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
        }
    }
}
