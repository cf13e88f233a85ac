package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.mesosdouble.DoubleOptions;
import io.hivemqsuite.mesosdouble.MesosMasterDouble;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.state.EmbeddedZooKeeper;
import io.hivemqsuite.scheduler.state.PodRecord;
import io.hivemqsuite.scheduler.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * {@code benchmarks/mesos/run.sh}: a 100-node deploy on 100 simulated agents of the master double, the backend
 * and the double in one JVM, tasks simulated by a process that stays up (no broker). Not a test (no *Test name):
 * run with -Dtest=MesosDeployBenchmark. Prints one table.
 */
class MesosDeployBenchmark {
    private static final int NODES = Integer.getInteger("bench.nodes", 100);

    @TempDir
    Path dir;

    /**
     * Two deploys in one JVM, each with its own double, state-store path and backend: the first pays the class
     * loading and first-call costs (the first ACCEPT alone took 0.4-1 s of them when profiled), the second shows
     * what the offer matching costs once a scheduler has been up a while.
     */
    @Test
    void deploy() throws Exception {
        Path java = Files.createFile(dir.resolve("java"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(java, "#!/bin/sh\nexec sleep 600\n");
        StringBuilder table = new StringBuilder(String.format("%n| run | agents | nodes | every task RUNNING | offers evaluated | offers evaluated per s (matching, without the store write) | placement write to ZooKeeper before each ACCEPT | heap after GC (backend + double + ZooKeeper, one JVM) |%n"
                + "|---|---|---|---|---|---|---|---|%n"));
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), "127.0.58.200", 12184)) {
            for (String run : new String[]{"first deploy, fresh JVM", "second deploy, same JVM"}) {
                table.append(deployOnce(zk, java, run, dir.resolve(run.startsWith("first") ? "first" : "second")));
            }
        }
        System.out.println(table);
    }

    private static String deployOnce(EmbeddedZooKeeper zk, Path java, String run, Path runDir) throws Exception {
        try (StateStore store = StateStore.connect(zk.connectString(), "bench-" + runDir.getFileName());
             MesosMasterDouble master = MesosMasterDouble.start(DoubleOptions.of(NODES, runDir.resolve("double"))
                     .withAgentNetwork("127.0.245"))) {
            ServiceOptions spec = new OptionsReader().read("{\"service\":{\"name\":\"bench\",\"mode\":\"mesos\","
                    + "\"mesos_master\":\"" + master.url() + "\"},\"node\":{\"count\":" + Math.min(NODES, 64) + "}}");
            MesosBackend backend = MesosBackend.start(MesosSettings.of(spec, java, runDir.resolve("dist"),
                    "http://127.0.0.1:9"), store);
            long started = System.nanoTime();
            for (int i = 0; i < NODES; i++) {
                String taskId = PodNames.task(i) + "__" + UUID.randomUUID();
                store.writePod(PodRecord.initial(i, PodNames.pod(i), "").launching(taskId));
                backend.launch(i, spec, "credential");
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                    backend.placements().values().stream().filter(p -> p.taskState().equals("TASK_RUNNING")).count() == NODES);
            double seconds = (System.nanoTime() - started) / 1e9;
            double matchingSeconds = (backend.offerDecisionNanos() - backend.placementWriteNanos()) / 1e9;
            double writeMs = backend.placementWriteNanos() / 1e6 / NODES;
            backend.disconnect();
            System.gc();
            long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
            return String.format("| %s | %d | %d | %.1f s | %d | %.0f | %.1f ms | %d MB |%n", run, NODES, NODES, seconds,
                    backend.offersEvaluated(), backend.offersEvaluated() / Math.max(matchingSeconds, 1e-9), writeMs,
                    heapMb);
        }
    }
}
