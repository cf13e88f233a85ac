package io.hivemqsuite.scheduler.state;

import io.hivemqsuite.protocol.plan.PlanState;
import io.hivemqsuite.protocol.plan.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real ZooKeeper server on loopback: what was written survives a restart of the server and the client. */
class StateStoreTest {
    private static final String HOST = "127.0.56.200";
    private static final int PORT = 12182;

    @TempDir
    Path dataDir;

    @Test
    void stateSurvivesARestartOfTheStore() {
        PlanState plan = new PlanState("deploy", false, Map.of("URL", "x"), List.of(new PlanState.PhaseState(
                "node-deploy", true, List.of(new PlanState.StepState("hivemq-0:[node]", Status.COMPLETE, "healthy")))));
        PodRecord pod = PodRecord.initial(0, "hivemq-0", "127.0.56.1").launching("hivemq-0-node__1").running(4242);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, HOST, PORT);
             StateStore store = StateStore.connect(zk.connectString(), "svc")) {
            store.writeTarget("{\"service\":{\"name\":\"svc\"}}");
            store.writeCredential("secret");
            store.writePod(pod);
            store.save(plan);
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, HOST, PORT);
             StateStore store = StateStore.connect(zk.connectString(), "svc")) {
            assertEquals("{\"service\":{\"name\":\"svc\"}}", store.target().orElseThrow());
            assertEquals("secret", store.credential().orElseThrow());
            assertEquals(List.of(pod), store.pods());
            assertEquals(1, store.pod("hivemq-0").orElseThrow().launchCount());
            assertEquals(plan, store.load("deploy").orElseThrow());

            store.deleteAll();
            assertTrue(store.target().isEmpty());
            assertTrue(store.pods().isEmpty());
            assertTrue(store.load("deploy").isEmpty());
        }
    }
}
