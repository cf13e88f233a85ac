package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.options.BrokerVersions;
import io.hivemqsuite.protocol.message.NodeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A software update as a user runs it: a service installed on the release before ({@code hivemq.version}), moved to
 * the current release with {@code update start} while QoS 1 publishers and persistent-session subscribers keep going
 * through the VIP ({@link CountedTraffic}). The nodes roll one by one with the config update's drain, client move and
 * health gate; every (publisher, sequence) pair arrives, duplicates are reported. An unknown release is refused naming
 * the option, and {@code pod status} shows the release each broker runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoftwareUpdateSystemTest {
    private static final String SERVICE = "swupdate";
    private static final int NODES = 2;

    private final String previous = BrokerVersions.shipped().get(0);
    private final String current = BrokerVersions.current();

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        assertNotEquals(previous, current, "the build ships two releases: " + BrokerVersions.shipped());
        cluster = new TestCluster("hivemq-suite-swupdate-");
        service = cluster.install(SERVICE, options(previous));
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    private static String options(String version) {
        return "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": " + NODES
                + ", \"mem\": 512, \"heap\": 128}, \"hivemq\": {\"version\": \"" + version + "\"}}";
    }

    @Test
    void theBrokersRollToAnotherReleaseNodeByNodeAndNoMessageIsLost() throws Exception {
        for (int i = 0; i < NODES; i++) {
            assertEquals(previous, service.nodeStatus(i).brokerVersion(), "installed on " + previous);
        }
        Cli.Result status = cluster.run("--name", SERVICE, "pod", "status");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("hivemq-0-node (RUNNING, HiveMQ CE " + previous + ")"), status.toString());

        Path unknown = Files.writeString(cluster.home.resolve("unknown.json"), options("2019.1"));
        Cli.Result refused = cluster.run("--name", SERVICE, "update", "start", "--options", unknown.toString());
        assertNotEquals(0, refused.exitCode(), refused.toString());
        assertTrue(refused.all().contains("hivemq.version") && refused.all().contains("2019.1"), refused.toString());
        assertEquals(previous, service.get("/v1/configurations/target").jsonPath().getString("hivemq.version"),
                "a refused update changes nothing");

        Path next = Files.writeString(cluster.home.resolve("next.json"), options(current));
        Cli.Result dryRun = cluster.run("--name", SERVICE, "update", "start", "--options", next.toString(),
                "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.toString());
        for (int i = 0; i < NODES; i++) {
            assertTrue(dryRun.out().contains("hivemq-" + i + " would restart (hivemq.version)"), dryRun.toString());
        }
        assertTrue(dryRun.out().contains("hivemq.version: \"" + previous + "\" -> \"" + current + "\""),
                dryRun.toString());

        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            pids.add(service.nodeStatus(i).brokerPid());
        }
        try (CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress())) {
            traffic.publisher("sw-pub-a");
            traffic.publisher("sw-pub-b");
            for (int s = 0; s < 4; s++) {
                traffic.subscriber("sw-sub-" + s);
            }
            traffic.awaitAcknowledged(25);
            UpdatePlan.Done done = UpdatePlan.run(cluster, SERVICE, next, Duration.ofMinutes(5));
            JsonNode plan = done.view();
            long rollMs = done.millis();
            JsonNode steps = plan.path("phases").get(0).path("steps");
            assertEquals(NODES, steps.size(), plan.toString());
            for (JsonNode step : steps) {
                assertTrue(step.path("message").asText().contains("restarted with the new configuration"),
                        step.toString());
            }
            for (int i = 0; i < NODES; i++) {
                NodeStatus node = service.nodeStatus(i);
                assertEquals(current, node.brokerVersion(), "hivemq-" + i + " runs " + current);
                assertNotEquals(pids.get(i), node.brokerPid(), "hivemq-" + i + " got a new broker");
                List<SuiteProcesses.Proc> brokers = SuiteProcesses.withRole(service.layout().nodeDir(i).toString(),
                        SuiteProcesses.Role.BROKER);
                assertEquals(1, brokers.size(), "one broker on hivemq-" + i + ": " + brokers);
            }
            traffic.awaitAcknowledged(25);
            StringBuilder report = traffic.assertNoLoss("software update " + previous + " -> " + current);
            System.out.println("software update " + previous + " -> " + current + " on " + NODES + " nodes rolled in "
                    + rollMs + " ms, sent " + traffic.sentSoFar() + ", 0 lost, " + traffic.duplicates()
                    + " duplicates\n" + report + plan);
        }
        Cli.Result after = cluster.run("--name", SERVICE, "pod", "status");
        assertTrue(after.out().contains("hivemq-1-node (RUNNING, HiveMQ CE " + current + ")"), after.toString());

        // Back to the release before is allowed: both write the same data format (BrokerVersions).
        Path back = Files.writeString(cluster.home.resolve("back.json"), options(previous));
        Cli.Result rollback = cluster.run("--name", SERVICE, "update", "start", "--options", back.toString(),
                "--dry-run");
        assertEquals(0, rollback.exitCode(), rollback.toString());
        assertTrue(rollback.out().contains("hivemq-0 would restart (hivemq.version)"), rollback.toString());
    }

}
