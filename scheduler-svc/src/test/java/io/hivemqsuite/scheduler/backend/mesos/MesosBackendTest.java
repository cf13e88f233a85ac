package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.mesosdouble.DoubleOptions;
import io.hivemqsuite.mesosdouble.MesosMasterDouble;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.ServiceJvm;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.security.ServiceAccountToken;
import io.hivemqsuite.scheduler.state.EmbeddedZooKeeper;
import io.hivemqsuite.scheduler.state.PodRecord;
import io.hivemqsuite.scheduler.state.StateStore;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Mesos backend against the in-process master double, over real HTTP with the official protobufs, a real
 * ZooKeeper as state store and real task processes. The node task's java is a small script that stays up
 * (no broker here: the end-to-end system test runs real nodes), so what is checked is the framework's side:
 * subscription, reservations, volumes, launches, acknowledgements, failover, reconciliation and release.
 */
class MesosBackendTest {
    private static final String ZK_HOST = "127.0.57.200";
    private static final int ZK_PORT = 12183;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private EmbeddedZooKeeper zookeeper;
    private StateStore store;
    private MesosMasterDouble master;
    private MesosBackend backend;
    private ServiceOptions spec;
    private Path fakeJava;

    @BeforeEach
    void start() throws IOException {
        zookeeper = EmbeddedZooKeeper.start(dir.resolve("zk"), ZK_HOST, ZK_PORT);
        store = StateStore.connect(zookeeper.connectString(), "msvc");
        master = MesosMasterDouble.start(DoubleOptions.of(3, dir.resolve("double")).withAgentNetwork("127.0.243")
                .withHeartbeatInterval(Duration.ofSeconds(1)));
        spec = new OptionsReader().read("{\"service\":{\"name\":\"msvc\",\"mode\":\"mesos\",\"service_account\":\"msvc-principal\","
                + "\"mesos_master\":\"" + master.url() + "\"},\"node\":{\"count\":2}}");
        // stands in for the JVM of the node agent: a real process that keeps running until it is killed
        fakeJava = Files.createFile(dir.resolve("java"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        // (its arguments kept in the sandbox, to see how the agent's JVM is started)
        Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$MESOS_SANDBOX/java-arguments\"\nexec sleep 600\n");
        backend = startBackend();
    }

    private MesosBackend startBackend() {
        MesosSettings settings = MesosSettings.of(spec, fakeJava, dir.resolve("dist"), "http://127.0.0.1:9");
        return MesosBackend.start(settings, store);
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.disconnect();
        }
        master.close();
        store.close();
        zookeeper.close();
    }

    private void launch(int index) {
        String taskId = PodNames.task(index) + "__" + UUID.randomUUID();
        store.writePod(PodRecord.initial(index, PodNames.pod(index), "").launching(taskId));
        backend.launch(index, spec, "credential-" + index);
    }

    private void awaitRunning(int index) {
        await().atMost(WAIT).until(() -> {
            NodePlacement p = backend.placements().get(index);
            return p != null && p.taskState().equals("TASK_RUNNING");
        });
    }

    private PodRecord pod(int index) {
        return store.pod(PodNames.pod(index)).orElseThrow();
    }

    @Test
    void subscribesStoresTheFrameworkIdAndLaunchesOneNodePerAgentOnLabelledReservationsAndVolumes() throws IOException {
        MesosMasterDouble.FrameworkView framework = master.frameworks().get(0);
        assertEquals("msvc", framework.name());
        assertEquals("msvc-role", framework.role());
        assertEquals("msvc-principal", framework.principal());
        assertTrue(framework.checkpoint());
        assertEquals(Duration.ofDays(14).toSeconds(), (long) framework.failoverTimeoutSeconds());
        assertEquals(framework.id(), store.read("mesos/framework-id").orElseThrow(), "FrameworkID in ZooKeeper");

        launch(0);
        launch(1);
        awaitRunning(0);
        awaitRunning(1);

        NodePlacement p0 = backend.placements().get(0);
        NodePlacement p1 = backend.placements().get(1);
        assertNotEquals(p0.agentId(), p1.agentId(), "one node per agent");
        assertEquals(p0.hostname(), backend.nodeAddress(0));
        assertEquals("http://" + p0.hostname() + ":9100", backend.agentUrl(0));
        assertTrue(backend.isRunning(pod(0)));
        // reservations: cpus, mem, two disks (one is the volume), ports, per node, all for our role and principal
        List<MesosMasterDouble.Reserved> reserved = master.reservations();
        assertEquals(10, reserved.size(), reserved.toString());
        assertTrue(reserved.stream().allMatch(r -> r.role().equals("msvc-role") && r.principal().equals("msvc-principal")
                && "msvc".equals(r.labels().get("hivemq_suite_service"))), reserved.toString());
        assertEquals(Set.of(p0.persistenceId(), p1.persistenceId()), reserved.stream()
                .map(MesosMasterDouble.Reserved::persistenceId).filter(id -> id != null).collect(Collectors.toSet()));
        // the task runs in its sandbox with the volume holding the node's spec and credential
        MesosMasterDouble.TaskView task = master.tasks().stream().filter(t -> t.id().equals(p0.taskId())).findFirst()
                .orElseThrow();
        assertEquals("TASK_RUNNING", task.state());
        assertEquals("hivemq-0-node", task.name());
        assertTrue(ProcessHandle.of(task.pid()).map(ProcessHandle::isAlive).orElse(false));
        Path volume = task.sandbox().resolve("hivemq-data");
        assertEquals("msvc", new OptionsReader().read(volume.resolve("spec.json")).service().name());
        assertEquals("credential-0", Files.readString(volume.resolve("internal-credential")));
        // every update was acknowledged (the double re-sends unacknowledged ones), nothing was refused
        assertEquals(List.of(), master.refusals());
    }

    /** Mesos mode starts the node agent like local mode does: with the class-data sharing archive the build wrote. */
    @Test
    void theNodeAgentStartsWithItsClassDataSharingArchive() throws IOException {
        Path archive = new LocalDistribution(dir.resolve("dist")).nodeAgentJar().resolveSibling(ServiceJvm.CDS_ARCHIVE);
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, "stands in for the archive");
        launch(0);
        awaitRunning(0);
        Path sandbox = master.tasks().stream().filter(t -> t.id().equals(backend.placements().get(0).taskId()))
                .findFirst().orElseThrow().sandbox();
        await().atMost(WAIT).until(() -> Files.exists(sandbox.resolve("java-arguments")));
        List<String> arguments = Files.readAllLines(sandbox.resolve("java-arguments"));
        assertTrue(arguments.contains("-XX:SharedArchiveFile=" + archive), arguments.toString());
        assertTrue(arguments.indexOf("-XX:SharedArchiveFile=" + archive) < arguments.indexOf("-jar"),
                arguments.toString());
    }

    /**
     * A node launched while the framework, idle until then, is answering an offer (the DECLINE that is followed by
     * SUPPRESS): the master slow on that DECLINE must not get the launch's REVIVE before the SUPPRESS, or the
     * framework stays suppressed and the node is never placed.
     */
    @Test
    void aNodeLaunchedWhileAnIdleFrameworkDeclinesAnOfferIsPlaced() throws InterruptedException {
        backend.disconnect();
        master.close();
        store.close();
        // one agent: no other offer of the same batch can place the node and hide a lost REVIVE
        master = MesosMasterDouble.start(DoubleOptions.of(1, dir.resolve("double-one")).withAgentNetwork("127.0.243")
                .withHeartbeatInterval(Duration.ofSeconds(1)));
        store = StateStore.connect(zookeeper.connectString(), "msvc-one");
        spec = new OptionsReader().read("{\"service\":{\"name\":\"msvc\",\"mode\":\"mesos\",\"service_account\":\"msvc-principal\","
                + "\"mesos_master\":\"" + master.url() + "\"},\"node\":{\"count\":1}}");
        master.holdCalls(Call.Type.DECLINE);
        backend = startBackend();
        await().atMost(WAIT).until(() -> master.heldCalls() == 1);

        Thread launching = new Thread(() -> launch(0));
        launching.start();
        // time for a REVIVE that is not ordered after the offer's answer to reach the master first
        Thread.sleep(500);
        master.releaseHeldCalls();
        launching.join(WAIT.toMillis());

        awaitRunning(0);
        assertEquals(List.of(), master.refusals());
    }

    /** A master that requires the login of {@code uid} with {@code registered}'s key; the spec's secret is {@code used}'s. */
    private MesosBackend backendLoggingIn(java.security.KeyPair registered, java.security.KeyPair used) throws IOException {
        backend.disconnect();
        backend = null;
        master.addServiceAccount("msvc-principal", ServiceAccountToken.pem(registered.getPublic()));
        Path secret = Files.writeString(dir.resolve("msvc-principal.pem"), ServiceAccountToken.pem(used.getPrivate()));
        spec = new OptionsReader().read("{\"service\":{\"name\":\"msvc\",\"mode\":\"mesos\",\"service_account\":\"msvc-principal\","
                + "\"service_account_secret\":\"" + secret + "\",\"mesos_master\":\"" + master.url() + "\"},\"node\":{\"count\":2}}");
        return startBackend();
    }

    private static java.security.KeyPair keyPair() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aServiceAccountLogsInWithItsKeyAndLogsInAgainWhenTheMasterRefusesItsToken() throws IOException {
        java.security.KeyPair account = keyPair();
        backend = backendLoggingIn(account, account);
        assertEquals(1, master.logins());
        launch(0);
        awaitRunning(0);

        master.revokeTokens();
        // the next calls (REVIVE, ACCEPT, ACKNOWLEDGE) are answered 401 until the scheduler logs in again
        launch(1);
        awaitRunning(1);
        assertEquals(2, master.logins(), "logged in once more, not once per call");
        assertTrue(master.refusals().stream().allMatch(r -> r.startsWith("scheduler call: HTTP 401")), master.refusals().toString());
        assertEquals(1, master.frameworks().size());
    }

    @Test
    void theWrongKeyFailsTheStartNamingTheSecretAndTheAccount() {
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> backendLoggingIn(keyPair(), keyPair()));
        assertTrue(refused.getMessage().startsWith("service.service_account_secret: the login of service account"
                + " 'msvc-principal'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("HTTP 401") && refused.getMessage().contains("signature"),
                refused.getMessage());
        assertEquals(0, master.logins());
    }

    @Test
    void placementConstraintsPickAgentsByTheirAttributesAndLeaveANodeUnplacedWhenNoAgentQualifies() {
        // three agents without attributes (setup), three with a zone: a, a, b
        String a1 = master.addAgent(java.util.Map.of("zone", "a"));
        String a2 = master.addAgent(java.util.Map.of("zone", "a"));
        String b = master.addAgent(java.util.Map.of("zone", "b"));
        spec = new OptionsReader().read("{\"service\":{\"name\":\"msvc\",\"mode\":\"mesos\",\"service_account\":\"msvc-principal\","
                + "\"mesos_master\":\"" + master.url() + "\"},\"node\":{\"count\":3,"
                + "\"placement_constraint\":\"[[\\\"zone\\\",\\\"UNIQUE\\\"]]\"}}");
        launch(0);
        launch(1);
        awaitRunning(0);
        awaitRunning(1);
        Set<String> hosts = Set.of(backend.nodeAddress(0), backend.nodeAddress(1));
        assertTrue(hosts.contains(b) && (hosts.contains(a1) || hosts.contains(a2)), "one node per zone: " + hosts);

        // the third node has no zone left: agents without one and the other zone-a agent are declined
        launch(2);
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> backend.placements().get(2) == null);
        assertEquals(2, master.tasks().size());
        assertEquals(List.of(), master.refusals());
    }

    @Test
    void aFailedTaskIsRelaunchedOnItsOwnReservationAndVolume() {
        launch(0);
        awaitRunning(0);
        NodePlacement before = backend.placements().get(0);
        assertTrue(master.failTask(before.taskId()));
        await().atMost(WAIT).until(() -> !backend.isRunning(pod(0)));
        assertEquals("TASK_FAILED", backend.placements().get(0).taskState());

        launch(0);
        awaitRunning(0);
        NodePlacement after = backend.placements().get(0);
        assertNotEquals(before.taskId(), after.taskId());
        assertEquals(before.agentId(), after.agentId(), "same agent");
        assertEquals(before.persistenceId(), after.persistenceId(), "same volume");
        assertEquals(before.resourceIds(), after.resourceIds(), "same reservation");
        assertEquals(List.of(), master.refusals());
    }

    @Test
    void replaceDestroysTheVolumeUnreservesAndLaunchesOnANewReservation() {
        launch(0);
        awaitRunning(0);
        NodePlacement before = backend.placements().get(0);
        backend.kill(pod(0), Duration.ofSeconds(5));
        assertFalse(backend.isRunning(pod(0)));
        backend.wipe(0);
        launch(0);
        awaitRunning(0);
        NodePlacement after = backend.placements().get(0);
        assertNotEquals(before.persistenceId(), after.persistenceId(), "a new volume");
        await().atMost(WAIT).until(() -> master.reservations().stream()
                .noneMatch(r -> before.persistenceId().equals(r.persistenceId())));
        await().atMost(WAIT).until(() -> master.reservations().size() == 5);
        assertEquals(List.of(), master.refusals());
    }

    @Test
    void masterFailoverAndSilentStreamsEndInAResubscriptionWithTheSameFrameworkIdAndNoDuplicateTask() {
        launch(0);
        awaitRunning(0);
        String frameworkId = backend.frameworkId();
        String taskId = backend.placements().get(0).taskId();

        String newLeader = master.failover();
        await().atMost(WAIT).until(() -> master.frameworks().get(0).subscriptions() == 2
                && master.frameworks().get(0).connected());
        assertEquals(newLeader, backend.leaderUrl(), "followed the 307 to the new leader");

        master.stopHeartbeats();
        await().atMost(WAIT).until(() -> master.frameworks().get(0).subscriptions() == 3
                && master.frameworks().get(0).connected());

        assertEquals(frameworkId, master.frameworks().get(0).id());
        assertEquals(1, master.frameworks().size());
        assertEquals(List.of(taskId), master.tasks().stream().map(MesosMasterDouble.TaskView::id).toList());
        assertTrue(backend.isRunning(pod(0)));
    }

    @Test
    void aRestartedSchedulerResubscribesWithTheStoredFrameworkIdReconcilesAndLaunchesNothingNew() {
        launch(0);
        awaitRunning(0);
        String frameworkId = backend.frameworkId();
        backend.disconnect();
        // the task of a node that is not ours any more (e.g. launched before a crash, then replaced) must go
        backend = startBackend();
        assertEquals(frameworkId, backend.frameworkId());
        assertEquals(frameworkId, master.frameworks().get(0).id());
        assertTrue(backend.isRunning(pod(0)), "re-attached from the stored placement");
        await().atMost(WAIT).until(() -> master.frameworks().get(0).subscriptions() == 2);
        assertEquals(1, master.tasks().size());
        assertEquals("TASK_RUNNING", backend.placements().get(0).taskState());
    }

    @Test
    void rescindedOffersDoNotStopALaunch() {
        master.rescindOffers();
        launch(0);
        master.rescindOffers();
        awaitRunning(0);
        assertTrue(backend.offersEvaluated() > 0);
    }

    @Test
    void uninstallKillsDestroysUnreservesAndTearsDownLeavingNothing() {
        launch(0);
        launch(1);
        awaitRunning(0);
        awaitRunning(1);
        List<Long> pids = master.tasks().stream().map(MesosMasterDouble.TaskView::pid).toList();
        backend.kill(pod(0), Duration.ofSeconds(5));
        backend.kill(pod(1), Duration.ofSeconds(5));
        String frameworkId = backend.frameworkId();

        backend.release();
        backend = null;

        assertEquals(List.of(), master.reservations(), "nothing of ours is reserved");
        assertTrue(master.removedFrameworks().contains(frameworkId), "torn down");
        await().atMost(WAIT).until(() -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive).orElse(false)));
        assertEquals(List.of(), master.refusals());
    }
}
