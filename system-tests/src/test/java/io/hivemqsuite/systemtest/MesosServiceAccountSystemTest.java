package io.hivemqsuite.systemtest;

import io.hivemqsuite.mesosdouble.DoubleOptions;
import io.hivemqsuite.mesosdouble.MesosMasterDouble;
import io.hivemqsuite.protocol.security.ServiceAccountToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mesos mode against a master that requires a DC/OS service-account login (registered through the double's admin
 * API with the account's public key), driven through the CLI: the wrong private key is refused by install before
 * anything exists; the right one deploys; a revoked token makes the scheduler log in again and carry on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesosServiceAccountSystemTest {
    private static final String NAME = "mesosacct";
    private static final String ACCOUNT = "mesosacct-principal";
    private static final Duration NODE_WAIT = Duration.ofMinutes(3);

    private static Path work;
    private static MesosMasterDouble master;
    private static TestCluster cluster;
    private static KeyPair account;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("hivemq-suite-st-mesos-acct-").toAbsolutePath();
        master = MesosMasterDouble.start(DoubleOptions.of(2, work.resolve("double")).withAgentNetwork("127.0.238")
                .withHeartbeatInterval(Duration.ofSeconds(2)));
        account = keyPair();
        given().body(ServiceAccountToken.pem(account.getPublic())).post(master.url() + "/admin/accounts/" + ACCOUNT)
                .then().statusCode(200);
        cluster = new TestCluster("hivemq-suite-st-mesos-acct-home-");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            master.close();
            SuiteProcesses.killAll(work.toString());
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String options(Path secret) {
        return "{\"service\":{\"name\":\"" + NAME + "\",\"mode\":\"mesos\",\"mesos_master\":\"" + master.url()
                + "\",\"service_account\":\"" + ACCOUNT + "\",\"service_account_secret\":\"" + secret + "\"},"
                + "\"node\":{\"count\":1,\"heap\":128,\"mem\":512}}";
    }

    @Test
    @Order(1)
    void theWrongPrivateKeyIsRefusedByInstallNamingTheSecretAndNothingIsInstalled() throws Exception {
        Path wrong = Files.writeString(work.resolve("wrong.pem"), ServiceAccountToken.pem(keyPair().getPrivate()));
        Path options = Files.writeString(work.resolve("wrong.json"), options(wrong));

        Cli.Result result = cluster.cli.run(Duration.ofMinutes(2), java.util.Map.of(), "install", "--options",
                options.toString());

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("service.service_account_secret") && result.err().contains(ACCOUNT)
                && result.err().contains("401") && result.err().contains("Nothing was installed"), result.toString());
        try (Stream<Path> entries = Files.list(cluster.home)) {
            assertEquals(List.of(), entries.toList(), "no service folder is created");
        }
        assertEquals(List.of(), SuiteProcesses.containing(cluster.home.toString()), "no process is started");
        assertEquals(List.of(), master.frameworks(), "no framework subscribed");
        assertEquals(0, master.logins());
    }

    @Test
    @Order(2)
    void theRightKeyDeploysAndARevokedTokenIsReplacedByANewLoginWithoutTheUserNoticing() throws Exception {
        Path right = Files.writeString(work.resolve("right.pem"), ServiceAccountToken.pem(account.getPrivate()));
        InstalledService service = cluster.install(NAME, options(right));
        Poll.until(NODE_WAIT, "deploy COMPLETE", () -> service.get("/v1/plans/deploy").statusCode() == 200);
        MesosMasterDouble.FrameworkView framework = master.frameworks().get(0);
        assertEquals(ACCOUNT, framework.principal());
        MesosMasterDouble.TaskView task = master.tasks().get(0);
        try (OutsideClient client = OutsideClient.connect(task.agent(), 1883, "acct-client")) {
            assertTrue(client.connected());
        }
        int logins = master.logins();
        assertTrue(logins >= 2, "install's check and the scheduler's own login: " + logins);

        assertTrue(given().post(master.url() + "/admin/tokens/revoke").then().statusCode(200).extract().asString()
                .contains("revoked"));
        // a pod restart needs KILL, offers, ACCEPT and acknowledgements: every call after the revocation
        Cli.Result restart = cluster.run("--name", NAME, "pod", "restart", "hivemq-0");
        assertEquals(0, restart.exitCode(), restart.toString());
        Poll.until(NODE_WAIT, "hivemq-0 running as a new task", () -> master.tasks().stream().anyMatch(t ->
                t.name().equals("hivemq-0-node") && !t.id().equals(task.id()) && t.state().equals("TASK_RUNNING")));
        Poll.until(NODE_WAIT, "deploy COMPLETE again", () -> service.get("/v1/plans/deploy").statusCode() == 200);
        assertEquals(logins + 1, master.logins(), "one new login");
        assertTrue(master.refusals().stream().allMatch(r -> r.contains("HTTP 401")), master.refusals().toString());
        assertNotEquals(List.of(), master.refusals(), "the revoked token was refused at least once");
        assertEquals(framework.id(), master.frameworks().get(0).id());
    }
}
