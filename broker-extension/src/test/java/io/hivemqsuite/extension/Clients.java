package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Real MQTT 5 clients (HiveMQ MQTT Client, blocking API) against a {@link SuiteBroker}. */
final class Clients {
    private Clients() {
    }

    static Mqtt5BlockingClient client(SuiteBroker broker, String name) {
        return Mqtt5Client.builder()
                .identifier(name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(SuiteBroker.HOST)
                .serverPort(broker.port)
                .buildBlocking();
    }

    static Mqtt5BlockingClient anonymous(SuiteBroker broker, String name) {
        Mqtt5BlockingClient client = client(broker, name);
        client.connect();
        return client;
    }

    static Mqtt5BlockingClient internal(SuiteBroker broker, String name, String secret) {
        Mqtt5BlockingClient client = client(broker, name);
        client.connectWith().simpleAuth()
                .username(SuiteBroker.INTERNAL_USER)
                .password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    static void publish(Mqtt5BlockingClient client, String topic, String payload, boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    /** For clients the broker may have just disconnected itself (a refused publish can end the connection). */
    static void disconnectQuietly(Mqtt5BlockingClient client) {
        try {
            client.disconnect();
        } catch (MqttClientStateException alreadyDisconnected) {
            // nothing left to close
        }
    }

    /** A subscriber that records every message it receives, in order. */
    static final class Recorder implements AutoCloseable {
        final Mqtt5BlockingClient client;
        private final Mqtt5BlockingClient.Mqtt5Publishes publishes;
        final List<Mqtt5Publish> received = new ArrayList<>();

        Recorder(Mqtt5BlockingClient client, String... filters) {
            this.client = client;
            // Registered before subscribing so that retained messages sent with the SUBACK are not missed.
            this.publishes = client.publishes(MqttGlobalPublishFilter.ALL);
            for (String filter : filters) {
                client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
            }
        }

        /** Records until a message on {@code topic} arrives; empty when none came within the timeout. */
        Optional<Mqtt5Publish> awaitTopic(String topic, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                Optional<Mqtt5Publish> next = publishes.receive(left, TimeUnit.NANOSECONDS);
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                received.add(next.get());
                if (next.get().getTopic().toString().equals(topic)) {
                    return next;
                }
            }
        }

        /** Records whatever else arrives within the given time. */
        void drain(long millis) throws InterruptedException {
            awaitTopic("\u0000never", millis);
        }

        List<String> topics() {
            return received.stream().map(p -> p.getTopic().toString()).toList();
        }

        @Override
        public void close() {
            publishes.close();
            disconnectQuietly(client);
        }
    }
}
