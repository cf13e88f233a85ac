package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's options file from the DC/OS package installs here: the package's full default tree (every key), with a
 * few restrictions and limits set, on one node. Real MQTT 5 clients see their effect (client id limit, max QoS,
 * retained messages off, max connections); install and {@code describe} report the Enterprise-only options;
 * the license lands in the broker's license folder; an install-only change is refused and a runtime one rolls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageOptionsSystemTest {
    private static final String SERVICE = "pkgopt";
    private static final String LICENSE = "a license file of the test";

    private TestCluster cluster;
    private InstalledService service;
    private ObjectNode options;
    private Cli.Result install;
    private String host;

    @BeforeAll
    void install() throws IOException {
        options = DcosPackageOptions.defaults(SERVICE, 1);
        ObjectNode hivemq = (ObjectNode) options.path("hivemq");
        hivemq.put("license", Base64.getEncoder().encodeToString(LICENSE.getBytes(StandardCharsets.UTF_8)));
        ((ObjectNode) hivemq.path("restrictions")).put("max_client_id_length", 16).put("max_connections", 6);
        ((ObjectNode) options.path("mqtt").path("limits")).put("max_qos", 1).put("retained_messages_enabled", false);

        cluster = new TestCluster("hivemq-suite-pkgopt-");
        Path file = write(options);
        install = cluster.cli.run(Duration.ofMinutes(5), "install", "--options", file.toString(), "--timeout", "240");
        assertEquals(0, install.exitCode(), install.toString());
        service = InstalledService.read(cluster.home, SERVICE);
        host = service.layout().nodeAddress(0);
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    private Path write(ObjectNode tree) throws IOException {
        return Files.writeString(cluster.home.resolve("options-" + UUID.randomUUID() + ".json"), tree.toString());
    }

    private MqttAsyncClient connect(String clientId) throws MqttException {
        return connectWithAnswer(clientId).client();
    }

    /** A connected client and its CONNECT's token, whose response properties are the CONNACK's. */
    private record Connected(MqttAsyncClient client, IMqttToken connack) {
    }

    private Connected connectWithAnswer(String clientId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + host + ":1883", clientId, new MemoryPersistence());
        MqttConnectionOptions connect = new MqttConnectionOptions();
        connect.setConnectionTimeout(5);
        IMqttToken token = client.connect(connect);
        try {
            token.waitForCompletion(10_000);
        } catch (MqttException e) {
            close(client);
            throw e;
        }
        return new Connected(client, token);
    }

    private static void close(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            // a refused or dropped client has nothing left to close
        }
    }

    @Test
    @Order(1)
    void installReportsTheEnterpriseOnlyOptions() {
        assertTrue(install.out().contains("hivemq.cluster_replica_count: no effect on HiveMQ Community Edition"),
                install.toString());
        assertTrue(install.out().contains("hivemq.control_center_enabled: no effect on HiveMQ Community Edition"),
                install.toString());
    }

    @Test
    @Order(2)
    void aClientIdOverTheLimitIsRefused() throws MqttException {
        MqttAsyncClient fits = connect("sixteen-chars-id");
        assertTrue(fits.isConnected());
        close(fits);
        MqttException refused = assertThrows(MqttException.class, () -> connect("seventeen-chars-i"));
        assertNotEquals(0, refused.getReasonCode(), refused.toString());
    }

    @Test
    @Order(3)
    void maxQos1GrantsQos1() throws Exception {
        Connected connected = connectWithAnswer("qos-client");
        MqttAsyncClient client = connected.client();
        try {
            assertEquals(1, connected.connack().getResponseProperties().getMaximumQoS(), "CONNACK maximum QoS");
            IMqttToken token = client.subscribe(new MqttSubscription("st/qos", 2));
            token.waitForCompletion(5_000);
            assertEquals(1, token.getReasonCodes()[0], "a QoS 2 subscription is granted QoS 1");
        } finally {
            close(client);
        }
    }

    @Test
    @Order(4)
    void retainedMessagesAreNotKept() throws Exception {
        // the broker keeps retained messages for the suite's control topics; the extension drops outside clients'
        // retain flags, so the publish is delivered live but not kept
        MqttAsyncClient publisher = connect("retain-pub");
        MqttMessage retained = new MqttMessage("kept?".getBytes(StandardCharsets.UTF_8));
        retained.setQos(1);
        retained.setRetained(true);
        try {
            publisher.publish("st/retained", retained).waitForCompletion(5_000);
        } finally {
            close(publisher);
        }

        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        MqttAsyncClient subscriber = connect("retain-sub");
        try {
            subscriber.setCallback(MessageCallback.onMessage((topic, message) -> received.add(message)));
            subscriber.subscribe(new MqttSubscription("st/retained", 1)).waitForCompletion(5_000);
            assertNull(received.poll(2, TimeUnit.SECONDS), "no retained message is delivered to a new subscriber");
        } finally {
            close(subscriber);
        }
    }

    @Test
    @Order(5)
    void maxConnectionsCapsTheBroker() throws MqttException {
        // the node agent's control client and the suite's own services hold some of the 6; outside clients get the rest
        List<MqttAsyncClient> clients = new ArrayList<>();
        MqttException refused = null;
        try {
            for (int i = 0; i < 8 && refused == null; i++) {
                try {
                    clients.add(connect("cap-" + i));
                } catch (MqttException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "the broker refused a connection beyond max_connections (held "
                    + clients.size() + ")");
            assertTrue(clients.size() >= 1 && clients.size() < 6, "outside clients admitted: " + clients.size());
        } finally {
            clients.forEach(PackageOptionsSystemTest::close);
        }
    }

    @Test
    @Order(6)
    void theLicenseIsInTheBrokersLicenseFolder() throws IOException {
        Path license = service.layout().nodeDir(0).resolve("hivemq/license/install-options.lic");
        assertEquals(LICENSE, Files.readString(license));
    }

    @Test
    @Order(7)
    void describeShowsTheOptionsWithSecretsMasked() {
        Cli.Result describe = cluster.run("--name", SERVICE, "describe");
        assertEquals(0, describe.exitCode(), describe.toString());
        assertTrue(describe.out().contains("\"max_client_id_length\" : 16"), describe.toString());
        assertTrue(describe.out().contains("\"license\" : \"<masked"), describe.toString());
        assertFalse(describe.out().contains(options.path("mqtt").path("auth").path("rbac_config").asText()),
                "the RBAC file is masked");
        assertTrue(describe.out().contains("hivemq.native_tls_enabled: no effect on HiveMQ Community Edition"),
                describe.toString());
    }

    @Test
    @Order(8)
    void anInstallOnlyChangeIsRefusedAndChangesNothing() throws IOException {
        String target = service.get("/v1/configurations/target").asString();
        ObjectNode changed = options.deepCopy();
        ((ObjectNode) changed.path("node")).put("disk", 20000);
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", write(changed).toString());
        assertNotEquals(0, update.exitCode(), update.toString());
        assertTrue(update.toString().contains("node.disk"), update.toString());
        assertEquals(target, service.get("/v1/configurations/target").asString(), "target unchanged");
    }

    @Test
    @Order(9)
    void aRuntimeChangeRollsAndTakesEffect() throws Exception {
        long pid = service.nodeStatus(0).brokerPid();
        ObjectNode changed = options.deepCopy();
        ((ObjectNode) changed.path("hivemq").path("restrictions")).put("max_client_id_length", 32);
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options", write(changed).toString());
        assertEquals(0, update.exitCode(), update.toString());
        Poll.until(Duration.ofMinutes(2), "update plan COMPLETE", () -> {
            var plan = service.get("/v1/plans/update");
            assertNotEquals(417, plan.statusCode(), plan.asString());
            return plan.statusCode() == 200;
        });
        assertNotEquals(pid, service.nodeStatus(0).brokerPid(), "the broker restarted with the new config");
        MqttAsyncClient longer = connect("a-twenty-char-id-ok");
        assertTrue(longer.isConnected());
        close(longer);
    }
}
