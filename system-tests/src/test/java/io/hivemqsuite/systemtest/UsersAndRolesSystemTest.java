package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
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
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users and roles as a DC/OS package user turns them on: the package's default options with
 * {@code mqtt.auth.enable_rbac}, installed by the CLI on two nodes. Its default users work through the VIP and
 * across nodes within their roles, a wrong password and anonymous clients are refused, a publish outside the role
 * reaches nobody on the other node, the control prefix stays closed to the superuser, and a new
 * {@code rbac_config} given to {@code update start} takes effect on both nodes without a broker restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsersAndRolesSystemTest {
    private static final String SERVICE = "rbacst";

    private TestCluster cluster;
    private InstalledService service;
    private ObjectNode options;

    @BeforeAll
    void install() throws IOException {
        options = DcosPackageOptions.defaults(SERVICE, 2);
        ((ObjectNode) options.path("mqtt").path("auth")).put("enable_rbac", true);
        cluster = new TestCluster("hivemq-suite-rbacst-");
        Cli.Result install = cluster.cli.run(Duration.ofMinutes(5), "install", "--options", write(options).toString(),
                "--timeout", "240");
        assertEquals(0, install.exitCode(), install.toString());
        service = InstalledService.read(cluster.home, SERVICE);
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    private Path write(ObjectNode json) throws IOException {
        return Files.writeString(cluster.home.resolve("options-" + UUID.randomUUID() + ".json"), json.toString());
    }

    private String node(int i) {
        return service.layout().nodeAddress(i);
    }

    @Test
    @Order(1)
    void thePackagesUsersWorkWithinTheirRolesAcrossNodes() throws Exception {
        // admin-user is a superuser (role "superuser": everything); user1's role allows data/<its client id>/#.
        try (OutsideClient admin = OutsideClient.connect(node(1), 1883, "rbac-admin", "admin-user", "admin-password");
             OutsideClient user1 = OutsideClient.connect(service.layout().vipAddress(), 1883, "rbac-user1", "user1",
                     "pass1")) {
            admin.subscribe("data/#", 1);
            assertEquals(0, user1.publish("data/rbac-user1/temperature", "21", false) & 0x80,
                    "user1 publishes below data/<its id>");
            OutsideClient.Received got = admin.nextOn("data/rbac-user1/temperature", 10_000);
            assertNotNull(got, "the superuser on node 1 gets user1's message");
            assertEquals("21", got.payload());

            // Outside the role: the broker refuses the publish and the router forwards it to nobody.
            int code;
            try {
                code = user1.publish("data/someone-else/temperature", "99", false);
            } catch (MqttException refused) {
                code = 0x87;
            }
            assertTrue(code >= 0x80, "a publish outside user1's role is refused, got 0x" + Integer.toHexString(code));
            assertNull(admin.nextOn("data/someone-else/temperature", 2_000), "nobody gets it, on any node");

            // The control prefix is closed to the superuser too.
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> admin.subscribe("hivemq-suite/" + SERVICE + "/#", 0));
            assertTrue(closed.getMessage().contains("0x87"), closed.getMessage());
        }
    }

    @Test
    @Order(2)
    void wrongPasswordsAndAnonymousClientsAreRefused() {
        assertThrows(MqttException.class,
                () -> OutsideClient.connect(service.layout().vipAddress(), 1883, "rbac-wrong", "user1", "pass2"));
        assertThrows(MqttException.class,
                () -> OutsideClient.connect(node(0), 1883, "rbac-anonymous"));
    }

    @Test
    @Order(3)
    void aNewRbacConfigTakesEffectWithoutABrokerRestart() throws Exception {
        List<Long> pids = List.of(service.nodeStatus(0).brokerPid(), service.nodeStatus(1).brokerPid());
        ObjectNode auth = (ObjectNode) options.path("mqtt").path("auth");
        String credentials = new String(Base64.getDecoder().decode(auth.path("rbac_config").asText()),
                StandardCharsets.UTF_8);
        // user1 is renamed user2: the same password hash (it does not depend on the name), so user2 logs in with pass1.
        String renamed = credentials.replace("<name>user1</name>", "<name>user2</name>");
        assertTrue(!renamed.equals(credentials), "the package's credentials name user1");
        auth.put("rbac_config", Base64.getEncoder().encodeToString(renamed.getBytes(StandardCharsets.UTF_8)));
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", write(options).toString());
        assertEquals(0, update.exitCode(), update.toString());
        Poll.until(Duration.ofMinutes(2), "update plan COMPLETE", () -> {
            Response plan = service.get("/v1/plans/update");
            return plan.statusCode() == 200;
        });
        for (int i = 0; i < 2; i++) {
            String host = node(i);
            Poll.until(Duration.ofSeconds(20), "user2 admitted on hivemq-" + i, () -> {
                try (OutsideClient user2 = OutsideClient.connect(host, 1883, "rbac-user2", "user2", "pass1")) {
                    return user2.connected();
                } catch (MqttException notYet) {
                    return false;
                }
            });
            assertThrows(MqttException.class, () -> OutsideClient.connect(host, 1883, "rbac-old", "user1", "pass1"),
                    "user1 is gone on hivemq-" + i);
        }
        assertEquals(pids, List.of(service.nodeStatus(0).brokerPid(), service.nodeStatus(1).brokerPid()),
                "no broker restarted");
    }
}
