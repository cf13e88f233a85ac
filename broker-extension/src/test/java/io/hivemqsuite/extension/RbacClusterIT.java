package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.hivemqsuite.extension.Clients.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users and roles on two routed broker processes: every node checks the users, and a publish the roles refuse on
 * one node is not delivered on the other (the router sees a publish before the broker's authorization does).
 */
class RbacClusterIT {
    private static final int PORT = 1897;
    private static final Path PACKAGE = Path.of("..", "control-protocol", "src", "test", "resources", "rbac");
    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        byte[] credentials = Base64.getDecoder().decode(
                Files.readString(PACKAGE.resolve("dcos-package-rbac_config.b64")).trim());
        cluster = Cluster.start(2, PORT, true, 1000, node -> {
            Path folder = node.home.resolve("extensions").resolve(SuiteBroker.EXTENSION_ID);
            Files.writeString(folder.resolve("suite.properties"), "rbac.enabled=true\n", StandardOpenOption.APPEND);
            Files.createDirectories(folder.resolve("rbac"));
            Files.write(folder.resolve("rbac/credentials.xml"), credentials);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Mqtt5BlockingClient user(int node, String clientId, String user, String password) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(clientId)
                .serverHost(cluster.node(node).host).serverPort(cluster.node(node).port).buildBlocking();
        c.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return c;
    }

    @Test
    void aRefusedConnectWithSomeonesClientIdDoesNotTakeTheirConnectionOnAnotherNode() throws Exception {
        Recorder victim = new Recorder(user(1, "dev-victim", "user1", "pass1"), "data/dev-victim/#");
        try {
            // same client id on node 0 with a wrong password: refused there, and it must claim nothing at node 1
            Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class,
                    () -> user(0, "dev-victim", "user1", "not-the-password"));
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
            // A claim would disconnect the victim within Router.ACK_WAIT; its absence is watched for longer.
            await("the refused CONNECT took the victim's connection over").during(4, TimeUnit.SECONDS)
                    .atMost(5, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> victim.client.getState().isConnected());
            Clients.publish(victim.client, "data/dev-victim/still-here", "yes", false);
            assertTrue(victim.awaitTopic("data/dev-victim/still-here", 5_000).isPresent());
        } finally {
            victim.close();
        }
    }

    @Test
    void everyNodeChecksTheUsersAndARefusedPublishReachesNoOtherNode() throws Exception {
        for (int node = 0; node < 2; node++) {
            int n = node;
            Mqtt5ConnAckException wrong = assertThrows(Mqtt5ConnAckException.class,
                    () -> user(n, "dev-x", "user1", "wrong"));
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, wrong.getMqttMessage().getReasonCode(), "node " + n);
        }
        Recorder admin = new Recorder(user(1, "ops-1", "admin-user", "admin-password"), "#");
        Mqtt5BlockingClient device = user(0, "dev-1", "user1", "pass1");
        try {
            // node 0 learns node 1's "#" from its digest before anything is published
            cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "digestFilters") >= 1, 10_000);
            try {
                Mqtt5PublishResult result = device.publishWith().topic("data/dev-2/forged").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("forged".getBytes(StandardCharsets.UTF_8)).send();
                assertTrue(result.getError().isPresent(), "a publish outside the role was accepted");
            } catch (Mqtt5PubAckException | Mqtt5DisconnectException | MqttSessionExpiredException refused) {
                // the broker's answer to a publish outside the permissions: PUBACK 0x87 or closing the connection
            }
            Clients.disconnectQuietly(device);
            device = user(0, "dev-1", "user1", "pass1");
            Clients.publish(device, "data/dev-1/allowed", "ok", false);
            assertTrue(admin.awaitTopic("data/dev-1/allowed", 10_000).isPresent(), admin.topics().toString());
            admin.drain(500);
            assertEquals(List.of("data/dev-1/allowed"), admin.topics(), "the refused publish was routed to node 1");
        } finally {
            Clients.disconnectQuietly(device);
            admin.close();
        }
    }
}
