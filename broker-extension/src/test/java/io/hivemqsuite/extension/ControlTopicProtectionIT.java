package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.hivemqsuite.extension.Clients.Recorder;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What MQTT users and the suite's own clients notice on a broker that runs the packaged extension. */
class ControlTopicProtectionIT {
    private static final int PORT = 1883;
    private static final long WAIT = 5_000;
    private static SuiteBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = SuiteBroker.start(PORT, SuiteBroker.validSettings(true));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anonymousOutsideClientRoundTripsOnNormalTopics() throws Exception {
        // Eclipse Paho: the independent outside client, no credentials at all.
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient paho = new MqttClient("tcp://" + SuiteBroker.HOST + ":" + PORT, "paho-outside", new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        try {
            paho.connect(options);
            paho.subscribe("sensors/room-1/temperature", 1);
            paho.publish("sensors/room-1/temperature", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("sensors/room-1/temperature=21.5", received.poll(WAIT, TimeUnit.MILLISECONDS));
        } finally {
            if (paho.isConnected()) {
                paho.disconnect();
            }
            paho.close();
        }
    }

    @Test
    void outsideClientsWithCredentialsAreAdmittedInEvaluationMode() {
        Mqtt5BlockingClient client = Clients.client(broker, "with-credentials");
        client.connectWith().simpleAuth().username("alice").password("anything".getBytes()).applySimpleAuth().send();
        Clients.publish(client, "plain/alice", "hello", false);
        client.disconnect();
    }

    @Test
    void wildcardSubscribersReceiveNoControlTrafficButDoReceiveNormalMessages() throws Exception {
        Mqtt5BlockingClient internal = Clients.internal(broker, "agent", SuiteBroker.SECRET);
        String retainedStatus = "hivemq-suite/hivemq/nodes/0/status";
        // Retained before anyone subscribes: reaches a new subscriber with its SUBACK, not through live routing.
        Clients.publish(internal, retainedStatus, "{\"state\":\"HEALTHY\"}", true);
        Clients.publish(internal, "plain/retained", "normal retained", true);

        // Each outside subscriber gets a normal message its filter matches, published after the control traffic:
        // receiving it proves delivery works, so having seen no control message means it was filtered.
        Map<Recorder, String> outside = new LinkedHashMap<>();
        outside.put(new Recorder(Clients.anonymous(broker, "all"), "#"), "plain/after");
        outside.put(new Recorder(Clients.anonymous(broker, "plus-all"), "+/#"), "plain/after");
        outside.put(new Recorder(Clients.anonymous(broker, "status-shape"), "+/+/nodes/+/status"),
                "factory/hall-1/nodes/7/status");
        outside.put(new Recorder(Clients.anonymous(broker, "shared"), "$share/spies/#"), "plain/after");
        // The one who should see it: proves the control traffic really flowed while the others saw none of it.
        Recorder suite = new Recorder(Clients.internal(broker, "watcher", SuiteBroker.SECRET), "hivemq-suite/#");
        try {
            Clients.publish(internal, "hivemq-suite/hivemq/nodes/1/status", "{\"state\":\"STARTING\"}", true);
            Clients.publish(internal, "hivemq-suite/hivemq/nodes/0/commands", "{\"id\":\"c1\",\"type\":\"status\"}", false);
            Clients.publish(internal, "hivemq-suite/hivemq/replies/cli-1", "{\"commandId\":\"c1\"}", false);
            Clients.publish(internal, "hivemq-suite", "bare prefix", false);
            Clients.publish(internal, "plain/after", "normal live", false);
            Clients.publish(internal, "factory/hall-1/nodes/7/status", "normal live", false);

            for (Map.Entry<Recorder, String> entry : outside.entrySet()) {
                Recorder recorder = entry.getKey();
                assertTrue(recorder.awaitTopic(entry.getValue(), WAIT).isPresent(),
                        "normal message after the control traffic must arrive; got " + recorder.topics());
                recorder.drain(300);
                assertTrue(recorder.topics().stream().noneMatch(t -> t.startsWith("hivemq-suite")),
                        "control traffic leaked to an outside subscriber: " + recorder.topics());
            }
            // Retained normal messages do reach a new wildcard subscriber: the filter is on the topic, not on retain.
            // Retained delivery runs beside live routing, so it may come after the live message.
            Recorder all = outside.keySet().iterator().next();
            assertTrue(all.topics().contains("plain/retained") || all.awaitTopic("plain/retained", WAIT).isPresent(),
                    all.topics().toString());
            assertTrue(all.topics().stream().noneMatch(t -> t.startsWith("hivemq-suite")), all.topics().toString());

            assertTrue(suite.awaitTopic("hivemq-suite", WAIT).isPresent(), "internal watcher: " + suite.topics());
            assertTrue(suite.topics().containsAll(List.of(retainedStatus, "hivemq-suite/hivemq/nodes/1/status",
                    "hivemq-suite/hivemq/nodes/0/commands", "hivemq-suite/hivemq/replies/cli-1")), suite.topics().toString());
        } finally {
            outside.keySet().forEach(Recorder::close);
            suite.close();
            Clients.publish(internal, retainedStatus, "", true);
            Clients.publish(internal, "hivemq-suite/hivemq/nodes/1/status", "", true);
            Clients.publish(internal, "plain/retained", "", true);
            internal.disconnect();
        }
    }

    @Test
    void outsidePublishOnControlTopicIsRefusedAndNeverReachesTheSuite() throws Exception {
        Recorder suite = new Recorder(Clients.internal(broker, "commands", SuiteBroker.SECRET), "hivemq-suite/#");
        Mqtt5BlockingClient forger = Clients.anonymous(broker, "forger");
        try {
            assertRefused(forger, "hivemq-suite/hivemq/nodes/0/commands");
            Mqtt5BlockingClient forger2 = Clients.anonymous(broker, "forger-bare");
            assertRefused(forger2, "hivemq-suite");
            Clients.disconnectQuietly(forger2);

            Mqtt5BlockingClient agent = Clients.internal(broker, "agent", SuiteBroker.SECRET);
            Clients.publish(agent, "hivemq-suite/hivemq/nodes/0/commands", "genuine", false);
            agent.disconnect();

            Optional<Mqtt5Publish> first = suite.awaitTopic("hivemq-suite/hivemq/nodes/0/commands", WAIT);
            assertTrue(first.isPresent(), "the genuine command must arrive");
            assertEquals("genuine", Clients.text(first.get()));
            assertEquals(List.of("hivemq-suite/hivemq/nodes/0/commands"), suite.topics(), "a forged message arrived");
        } finally {
            Clients.disconnectQuietly(forger);
            suite.close();
        }
    }

    @Test
    void outsideSubscriptionToControlTopicsIsRefused() {
        Mqtt5BlockingClient spy = Clients.anonymous(broker, "spy");
        try {
            for (String filter : List.of("hivemq-suite/#", "hivemq-suite/hivemq/nodes/+/status", "hivemq-suite")) {
                Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class,
                        () -> spy.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send(), filter);
                assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), refused.getMqttMessage().getReasonCodes(), filter);
            }
            // Same connection, normal filter: still fine, only the control prefix is closed.
            spy.subscribeWith().topicFilter("plain/#").qos(MqttQos.AT_LEAST_ONCE).send();
        } finally {
            Clients.disconnectQuietly(spy);
        }
    }

    @Test
    void internalClientUsesControlTopics() throws Exception {
        Recorder watcher = new Recorder(Clients.internal(broker, "scheduler", SuiteBroker.SECRET), "hivemq-suite/hivemq/nodes/+/status");
        Mqtt5BlockingClient agent = Clients.internal(broker, "agent-2", SuiteBroker.SECRET);
        try {
            Clients.publish(agent, "hivemq-suite/hivemq/nodes/2/status", "{\"state\":\"HEALTHY\"}", false);
            Optional<Mqtt5Publish> status = watcher.awaitTopic("hivemq-suite/hivemq/nodes/2/status", WAIT);
            assertTrue(status.isPresent());
            assertEquals("{\"state\":\"HEALTHY\"}", Clients.text(status.get()));
        } finally {
            agent.disconnect();
            watcher.close();
        }
    }

    @Test
    void internalUserNameWithWrongOrNoPasswordIsRefusedAtConnect() {
        Mqtt5ConnAckException wrong = assertThrows(Mqtt5ConnAckException.class,
                () -> Clients.internal(broker, "impostor", "not-the-secret"));
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, wrong.getMqttMessage().getReasonCode());

        Mqtt5BlockingClient noPassword = Clients.client(broker, "impostor-no-password");
        Mqtt5ConnAckException missing = assertThrows(Mqtt5ConnAckException.class,
                () -> noPassword.connectWith().simpleAuth().username(SuiteBroker.INTERNAL_USER).applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, missing.getMqttMessage().getReasonCode());
    }

    /** MQTT 5 lets the broker answer with a PUBACK reason code or by disconnecting; either way the publish is refused. */
    private static void assertRefused(Mqtt5BlockingClient client, String topic) {
        try {
            Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("forged".getBytes(StandardCharsets.UTF_8)).send();
            assertTrue(result.getError().isPresent(), "publish on " + topic + " was accepted");
            Mqtt5PubAckReasonCode code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, code, topic);
        } catch (Mqtt5PubAckException e) {
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode(), topic);
        } catch (Mqtt5DisconnectException e) {
            assertNotNull(e.getMqttMessage().getReasonCode());
        } catch (RuntimeException e) {
            fail("unexpected outcome of publishing on " + topic + ": " + e);
        }
    }
}
