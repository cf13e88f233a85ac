package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.endpoint.DnsNames;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of each service JVM the local-mode supervisor keeps running (sidecar-svc, endpoint-svc, the scheduler), one
 * after the other on one 3-node cluster, each under counted QoS 1 traffic through the VIP ({@link CountedTraffic}):
 * the supervisor starts it again and it carries on from its state, and no subscriber misses a message. A kill in the
 * middle of a sidecar plan is {@link SidecarPlansSystemTest}'s; here sidecar-svc dies with a finished plan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceKillSystemTest {
    private static final String SERVICE = "kills";
    /** endpoint-svc's cold start (a Quarkus JVM) and its DNS and VIP listeners: measured 5.2 s (DNS) and 5.6 s (VIP) on a busy 2-core machine. */
    private static final Duration ENDPOINT_BACK_WITHIN = Duration.ofSeconds(15);

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-kills-");
        service = cluster.install(SERVICE, options(3));
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    private static String options(int nodes) {
        return TestCluster.smallNodes(SERVICE, nodes);
    }

    @Test
    @Order(1)
    void aKilledSidecarKeepsItsFinishedPlanAndChangeLog() throws Exception {
        String license = Base64.getEncoder().encodeToString("kill test license".getBytes(StandardCharsets.UTF_8));
        Cli.Result started = cluster.run("--name", SERVICE, "plan", "start", "add-license", "-p", "LICENSE=" + license,
                "-p", "LICENSE_NAME=kill-test");
        assertEquals(0, started.exitCode(), started.toString());
        JsonNode done = Poll.until(Duration.ofMinutes(2), "add-license COMPLETE", () -> {
            JsonNode view = UpdatePlan.view(cluster, SERVICE, "add-license");
            return "COMPLETE".equals(view.path("status").asText()) ? view : null;
        });
        String changes = sidecar("/v1/changes").asString();
        List<Long> brokers = brokerPids();

        try (CountedTraffic traffic = startTraffic("sk-sc")) {
            Killed killed = kill("sidecar-svc", service.layout().sidecarUrl());
            System.out.println("sidecar-svc killed: " + killed);

            assertEquals(stepStatuses(done), stepStatuses(UpdatePlan.view(cluster, SERVICE, "add-license")),
                    "add-license as it was before the kill");
            assertEquals(changes, sidecar("/v1/changes").asString(), "the change log as it was before the kill");
            assertEquals(brokers, brokerPids(), "no broker restarted");
            traffic.awaitAcknowledged(25);
            report("sidecar-svc", traffic);
        }
    }

    @Test
    @Order(2)
    void aKilledEndpointServiceAnswersDnsAndAcceptsOnTheVipAgainWithinItsBound() throws Exception {
        String name = DnsNames.absolute(DnsNames.autoip(SERVICE, 0));
        List<String> address = List.of(service.layout().nodeAddress(0));
        Assumptions.assumeTrue(Dig.otherSuiteHolder(cluster.home.toString()).isEmpty(),
                "127.0.0.1:8053 is another suite home's endpoint-svc");
        assertEquals(address, Dig.query("A", name), "DNS before the kill");

        try (CountedTraffic traffic = startTraffic("sk-ep")) {
            Killed killed = kill("endpoint-svc", service.layout().endpointUrl());
            long t0 = killed.killedAtNanos();
            Poll.until(ENDPOINT_BACK_WITHIN, Duration.ofMillis(50), name + " answered again",
                    () -> address.equals(Dig.query("A", name)));
            long dnsMs = (System.nanoTime() - t0) / 1_000_000;
            try (OutsideClient client = Poll.until(ENDPOINT_BACK_WITHIN, Duration.ofMillis(50), "the VIP accepting",
                    () -> OutsideClient.connect(service.layout().vipAddress(), 1883, "sk-ep-probe"))) {
                assertTrue(client != null);
            }
            long vipMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("endpoint-svc killed: " + killed + "; DNS answers " + dnsMs + " ms and the VIP accepts "
                    + vipMs + " ms after the kill");
            assertTrue(dnsMs <= ENDPOINT_BACK_WITHIN.toMillis() && vipMs <= ENDPOINT_BACK_WITHIN.toMillis(),
                    "back within " + ENDPOINT_BACK_WITHIN);
            traffic.awaitAcknowledged(25);
            report("endpoint-svc", traffic);
        }
    }

    @Test
    @Order(3)
    void aKilledSchedulerKeepsItsPlansAndPodsAndTakesTheNextUpdate() throws Exception {
        JsonNode deploy = UpdatePlan.view(cluster, SERVICE, "deploy");
        JsonNode recovery = UpdatePlan.view(cluster, SERVICE, "recovery");
        List<Long> brokers = brokerPids();
        List<Long> agents = agentPids();

        try (CountedTraffic traffic = startTraffic("sk-sch")) {
            Killed killed = kill("scheduler-svc", service.endpoint().url());
            System.out.println("scheduler killed: " + killed);

            assertEquals(stepStatuses(deploy), stepStatuses(UpdatePlan.view(cluster, SERVICE, "deploy")), "deploy");
            assertEquals(stepStatuses(recovery), stepStatuses(UpdatePlan.view(cluster, SERVICE, "recovery")),
                    "recovery: nothing relaunched");
            Poll.holds(Duration.ofSeconds(3), () -> {
                assertEquals(agents, agentPids(), "the same agents, none relaunched or added");
                assertEquals(brokers, brokerPids(), "the same brokers");
            });

            Path four = Files.writeString(cluster.home.resolve("options-4.json"), options(4));
            UpdatePlan.Done update = UpdatePlan.run(cluster, SERVICE, four, Duration.ofMinutes(3));
            System.out.println("update start to 4 nodes after the scheduler restart: " + update.millis() + " ms");
            assertTrue(service.nodeStatus(3).healthy(), "hivemq-3 serving");
            assertEquals(brokers, brokerPids(), "scaling out restarts no existing node");
            traffic.awaitAcknowledged(25);
            report("scheduler", traffic);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private record Killed(long oldPid, long newPid, long killedAtNanos, long backMs) {
        @Override
        public String toString() {
            return "pid " + oldPid + " -> " + newPid + ", healthy again " + backMs + " ms after the kill";
        }
    }

    /** kill -9 the service's JVM (not its supervisor) and waits for the supervisor's new one to be healthy. */
    private Killed kill(String module, String url) {
        List<SuiteProcesses.Proc> jvms = jvms(module);
        assertEquals(1, jvms.size(), "one JVM: " + jvms);
        long old = jvms.get(0).pid();
        long killedAt = System.nanoTime();
        assertTrue(ProcessHandle.of(old).orElseThrow().destroyForcibly(), "kill -9 " + old);
        long now = Poll.until(Duration.ofSeconds(90), Duration.ofMillis(50), "a new healthy JVM", () -> {
            List<SuiteProcesses.Proc> live = jvms(module);
            return live.size() == 1 && live.get(0).pid() != old
                    && given().get(url + "/q/health").statusCode() == 200 ? live.get(0).pid() : null;
        });
        return new Killed(old, now, killedAt, (System.nanoTime() - killedAt) / 1_000_000);
    }

    /** The service's JVMs: run from its app's sandbox, so named by the module's jar there, not by the build's path. */
    private List<SuiteProcesses.Proc> jvms(String module) {
        String path = SuiteProcesses.serviceJar(module);
        return SuiteProcesses.containing(service.serviceDir().toString()).stream()
                .filter(p -> p.isJava() && p.commandLine().contains(path)).toList();
    }

    /** Two publishers and three persistent-session subscribers through the VIP, already carrying messages. */
    private CountedTraffic startTraffic(String prefix) throws Exception {
        CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress());
        traffic.publisher(prefix + "-pub-a");
        traffic.publisher(prefix + "-pub-b");
        for (int s = 0; s < 3; s++) {
            traffic.subscriber(prefix + "-sub-" + s);
        }
        traffic.awaitAcknowledged(25);
        return traffic;
    }

    private static void report(String killed, CountedTraffic traffic) throws InterruptedException {
        traffic.assertNoLoss(killed + " killed");
        System.out.println(killed + " killed: " + traffic.duplicates() + " duplicates, longest client gap "
                + traffic.longestGapMs() + " ms");
    }

    /** Every step of a plan view as {@code phase/step=STATUS}. */
    private static List<String> stepStatuses(JsonNode plan) {
        List<String> steps = new ArrayList<>();
        for (JsonNode phase : plan.path("phases")) {
            for (JsonNode step : phase.path("steps")) {
                steps.add(phase.path("name").asText() + "/" + step.path("name").asText() + "="
                        + step.path("status").asText());
            }
        }
        return steps;
    }

    private Response sidecar(String path) {
        return given().header("Authorization", "Bearer " + service.endpoint().token())
                .get(service.layout().sidecarUrl() + path);
    }

    private List<Long> brokerPids() {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pids.add(service.nodeStatus(i).brokerPid());
        }
        return pids;
    }

    private List<Long> agentPids() {
        return SuiteProcesses.withRole(service.serviceDir().toString(), SuiteProcesses.Role.AGENT).stream()
                .filter(SuiteProcesses.Proc::isJava).map(SuiteProcesses.Proc::pid).sorted().toList();
    }
}
