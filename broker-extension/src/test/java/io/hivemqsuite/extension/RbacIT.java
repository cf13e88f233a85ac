package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.hivemqsuite.extension.Clients.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Users and roles on a real broker, with the DC/OS package's default {@code mqtt.auth.rbac_config} and
 * {@code rbac_extension_config} (base64, exactly as the package ships them) written where the node agent writes
 * them: its users {@code user1}/{@code pass1} (role1: {@code data/${{clientid}}/#}, publish retained on
 * {@code outgoing/${{clientid}}}, subscribe {@code incoming/${{username}}/actions}) and
 * {@code admin-user}/{@code admin-password} (superuser: {@code #}).
 */
class RbacIT {
    private static final int PORT = 1885;
    private static final long WAIT = 5_000;
    private static final Path PACKAGE = Path.of("..", "control-protocol", "src", "test", "resources", "rbac");
    private static SuiteBroker broker;
    private static byte[] packageCredentials;

    @BeforeAll
    static void startBroker() throws Exception {
        packageCredentials = packageOption("rbac_config");
        broker = SuiteBroker.start(PORT, SuiteBroker.validSettings(false) + "rbac.enabled=true\n", Map.of(
                "rbac/credentials.xml", packageCredentials,
                "rbac/extension-config.xml", packageOption("rbac_extension_config")));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static byte[] packageOption(String name) throws Exception {
        return Base64.getDecoder().decode(Files.readString(PACKAGE.resolve("dcos-package-" + name + ".b64")).trim());
    }

    private static Mqtt5BlockingClient user(String clientId, String user, String password) {
        Mqtt5BlockingClient client = unconnected(clientId);
        client.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        return client;
    }

    private static Mqtt5BlockingClient unconnected(String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost(SuiteBroker.HOST).serverPort(PORT).buildBlocking();
    }

    private static Mqtt5ConnAckReasonCode refusedWith(String clientId, String user, String password) {
        Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> user(clientId, user, password));
        return e.getMqttMessage().getReasonCode();
    }

    @Test
    void thePackagesDefaultUsersWorkWithinTheirRoles() throws Exception {
        Recorder device = new Recorder(user("dev-7", "user1", "pass1"), "data/dev-7/#", "incoming/user1/actions");
        Recorder admin = new Recorder(user("ops-console", "admin-user", "admin-password"), "#");
        try {
            Clients.publish(device.client, "data/dev-7/temperature", "21.5", false);
            assertEquals("21.5", Clients.text(device.awaitTopic("data/dev-7/temperature", WAIT).orElseThrow()));
            // the retained-only permission: a retained publish on outgoing/<clientid> is accepted
            Clients.publish(device.client, "outgoing/dev-7", "state", true);
            assertTrue(admin.awaitTopic("outgoing/dev-7", WAIT).isPresent(), admin.topics().toString());
            // the superuser publishes anywhere, and the device receives on its SUBSCRIBE-only topic
            Clients.publish(admin.client, "incoming/user1/actions", "reboot", false);
            assertEquals("reboot", Clients.text(device.awaitTopic("incoming/user1/actions", WAIT).orElseThrow()));
        } finally {
            Clients.publish(admin.client, "outgoing/dev-7", "", true);
            device.close();
            admin.close();
        }
    }

    @Test
    void wrongPasswordUnknownUserAndAnonymousAreRefusedAtConnect() {
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith("dev-8", "user1", "pass2"));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith("dev-8", "admin-user", "pass1"));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith("dev-8", "mallory", "pass1"));
        // as the File RBAC extension: missing credentials and wildcard characters get their own codes
        Mqtt5ConnAckException anonymous = assertThrows(Mqtt5ConnAckException.class, () -> unconnected("dev-9").connect());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, anonymous.getMqttMessage().getReasonCode());
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedWith("dev+", "user1", "pass1"));
    }

    @Test
    void aPermissionOutsideTheRoleIsRefused() throws Exception {
        Mqtt5BlockingClient device = user("dev-10", "user1", "pass1");
        Recorder admin = new Recorder(user("ops-watch", "admin-user", "admin-password"), "#");
        try {
            // another client's data, and a topic of another user: SUBACK 0x87 per filter, the allowed one granted
            Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class, () -> device.subscribeWith()
                    .addSubscription().topicFilter("data/dev-11/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("incoming/user2/actions").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("data/dev-10/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send());
            assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                    Mqtt5SubAckReasonCode.GRANTED_QOS_1), refused.getMqttMessage().getReasonCodes());

            // publish outside the role: refused by the broker (PUBACK 0x87), never delivered to the superuser
            assertPublishRefused(device, "data/dev-11/temperature", false);
            Mqtt5BlockingClient device2 = user("dev-10b", "user1", "pass1");
            assertPublishRefused(device2, "outgoing/dev-10b", false); // retained only
            Clients.disconnectQuietly(device2);
            Mqtt5BlockingClient device3 = user("dev-10c", "user1", "pass1");
            assertPublishRefused(device3, "incoming/user1/actions", false); // subscribe only
            Clients.disconnectQuietly(device3);

            Mqtt5BlockingClient marker = user("ops-marker", "admin-user", "admin-password");
            Clients.publish(marker, "after/refusals", "end", false);
            marker.disconnect();
            assertTrue(admin.awaitTopic("after/refusals", WAIT).isPresent());
            assertEquals(List.of("after/refusals"), admin.topics(), "a refused publish was delivered");
        } finally {
            Clients.disconnectQuietly(device);
            admin.close();
        }
    }

    @Test
    void theControlPrefixStaysClosedToASuperuserAndTheSuiteKeepsWorking() throws Exception {
        Mqtt5BlockingClient admin = user("ops-admin", "admin-user", "admin-password");
        Recorder adminAll = new Recorder(user("ops-all", "admin-user", "admin-password"), "#");
        Recorder suite = new Recorder(Clients.internal(broker, "agent", SuiteBroker.SECRET), "hivemq-suite/#");
        try {
            for (String filter : List.of("hivemq-suite/#", "hivemq-suite/hivemq/nodes/+/status", "hivemq-suite")) {
                Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class,
                        () -> admin.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send(), filter);
                assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), refused.getMqttMessage().getReasonCodes());
            }
            assertPublishRefused(admin, "hivemq-suite/hivemq/nodes/0/commands", false);

            // the suite's internal clients still use the control topics, and "#" of a superuser does not see them
            Mqtt5BlockingClient agent = Clients.internal(broker, "agent-publisher", SuiteBroker.SECRET);
            Clients.publish(agent, "hivemq-suite/hivemq/nodes/0/status", "{\"state\":\"HEALTHY\"}", false);
            Clients.publish(agent, "plain/after-control", "x", false);
            agent.disconnect();
            assertTrue(suite.awaitTopic("hivemq-suite/hivemq/nodes/0/status", WAIT).isPresent(), suite.topics().toString());
            assertFalse(suite.topics().contains("hivemq-suite/hivemq/nodes/0/commands"), "the superuser's forged command arrived");
            assertTrue(adminAll.awaitTopic("plain/after-control", WAIT).isPresent());
            assertTrue(adminAll.topics().stream().noneMatch(t -> t.startsWith("hivemq-suite")), adminAll.topics().toString());
        } finally {
            Clients.disconnectQuietly(admin);
            adminAll.close();
            suite.close();
        }
    }

    @Test
    void changedCredentialsTakeEffectWithoutARestart() throws Exception {
        Path credentials = broker.home.resolve("extensions").resolve(SuiteBroker.EXTENSION_ID).resolve("rbac/credentials.xml");
        // connected throughout: proves the broker was not restarted
        Mqtt5BlockingClient witness = Clients.internal(broker, "witness", SuiteBroker.SECRET);
        try {
            // carol replaces user1; her hash computed here with the JDK's PBKDF2, independently of the extension
            byte[] salt = "a-salt-for-carol".getBytes(StandardCharsets.UTF_8);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec("carol-pw".toCharArray(), salt, 100, 512)).getEncoded();
            String carol = Base64.getEncoder().encodeToString(salt) + ":100:" + Base64.getEncoder().encodeToString(hash);
            writeAtomically(credentials, """
                    <file-rbac>
                      <users><user><name>carol</name><password>%s</password><roles><id>team</id></roles></user></users>
                      <roles><role><id>team</id><permissions>
                        <permission><topic>team/${{username}}/#</topic><qos>ZERO_ONE</qos></permission>
                      </permissions></role></roles>
                    </file-rbac>""".formatted(carol));
            await().atMost(5, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                    assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith("dev-20", "user1", "pass1")));
            Recorder c = new Recorder(user("carol-phone", "carol", "carol-pw"), "team/carol/#");
            Clients.publish(c.client, "team/carol/notes", "hello", false);
            assertEquals("hello", Clients.text(c.awaitTopic("team/carol/notes", WAIT).orElseThrow()));
            assertPublishRefused(c.client, "data/carol-phone/x", false);
            c.close();

            // a broken file changes nothing: carol keeps working, user1 stays out
            writeAtomically(credentials, "<file-rbac><users>");
            // The files are re-read every second: over two reads, the witness stays connected.
            await().during(2, TimeUnit.SECONDS).atMost(3, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> witness.getState().isConnected());
            user("carol-laptop", "carol", "carol-pw").disconnect();
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith("dev-21", "user1", "pass1"));
            assertTrue(witness.getState().isConnected());
        } finally {
            Files.write(credentials, packageCredentials);
            await().atMost(5, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).ignoreExceptions()
                    .untilAsserted(() -> user("dev-22", "user1", "pass1").disconnect());
            witness.disconnect();
        }
    }

    private static void writeAtomically(Path target, String content) throws Exception {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** HiveMQ answers a refused MQTT 5 QoS 1 publish with PUBACK 0x87 (or may disconnect); never accepted. */
    private static void assertPublishRefused(Mqtt5BlockingClient client, String topic, boolean retain) {
        try {
            Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                    .payload("refused?".getBytes(StandardCharsets.UTF_8)).send();
            assertTrue(result.getError().isPresent(), "publish on " + topic + " was accepted");
        } catch (Mqtt5PubAckException e) {
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode(), topic);
        } catch (Mqtt5DisconnectException e) {
            // also a refusal
        } catch (RuntimeException e) {
            fail("unexpected outcome of publishing on " + topic + ": " + e);
        }
    }
}
