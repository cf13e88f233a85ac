package io.hivemqsuite.sidecar.node;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One MQTT 5 connection per node broker, as internal user: commands go to the node's command topic with a response
 * topic and correlation data, results come back on this client's reply topic. A broker restart (which sidecar
 * changes cause) drops the connection; it reconnects on its own and the requester repeats its command id.
 */
public final class NodeChannels implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeChannels.class);

    private final String dnsName;
    private final int mqttPort;
    private final String secret;
    private final IntFunction<String> address;
    private final String clientPrefix;
    private final RoundTrips roundTrips;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();

    /** Told every answered command's round trip, measured here because only the sender sees both ends. */
    @FunctionalInterface
    public interface RoundTrips {
        RoundTrips NONE = (node, type, nanos) -> { };

        /** @param nanos from this publish of the command to its answer (a repeat is timed from the repeat) */
        void answered(int node, String type, long nanos);
    }

    public NodeChannels(String dnsName, int mqttPort, String secret, IntFunction<String> address, String clientPrefix) {
        this(dnsName, mqttPort, secret, address, clientPrefix, RoundTrips.NONE);
    }

    public NodeChannels(String dnsName, int mqttPort, String secret, IntFunction<String> address, String clientPrefix,
                        RoundTrips roundTrips) {
        this.roundTrips = roundTrips;
        this.dnsName = dnsName;
        this.mqttPort = mqttPort;
        this.secret = secret;
        this.address = address;
        this.clientPrefix = clientPrefix;
    }

    public String dnsName() {
        return dnsName;
    }

    public int mqttPort() {
        return mqttPort;
    }

    /** Sends (or repeats) a command; the future completes with the node's answer, or never if none comes. */
    public CompletableFuture<CommandResult> send(int node, NodeCommand command) {
        return channels.computeIfAbsent(node, Channel::new).send(command);
    }

    /** Sends, repeating every few seconds while unanswered, and waits up to {@code timeoutMs} for an answer. */
    public CommandResult request(int node, NodeCommand command, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            CompletableFuture<CommandResult> future = send(node, command);
            try {
                return future.get(Math.min(5_000, Math.max(1, deadline - System.currentTimeMillis())),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // unanswered: the broker may have just restarted or our subscription is not there yet; ask again
            } catch (java.util.concurrent.ExecutionException e) {
                Thread.sleep(500);
            }
        }
        return null;
    }

    @Override
    public void close() {
        channels.values().forEach(Channel::close);
        channels.clear();
    }

    private final class Channel {
        private final int node;
        private final String clientId;
        private final String replyTopic;
        private final Mqtt5AsyncClient client;
        private final Map<String, Sent> pending = new ConcurrentHashMap<>();
        private volatile CompletableFuture<Void> subscribed = new CompletableFuture<>();

        Channel(int node) {
            this.node = node;
            this.clientId = clientPrefix + "-" + node;
            this.replyTopic = ControlTopics.replies(dnsName, clientId);
            this.client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                    .serverHost(address.apply(node)).serverPort(mqttPort)
                    .simpleAuth().username(InternalCredential.USERNAME)
                    .password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .automaticReconnect().initialDelay(300, TimeUnit.MILLISECONDS).maxDelay(3, TimeUnit.SECONDS)
                    .applyAutomaticReconnect()
                    .addConnectedListener(ctx -> subscribe())
                    .addDisconnectedListener(ctx -> {
                        if (subscribed.isDone()) {
                            subscribed = new CompletableFuture<>();
                        }
                    })
                    .buildAsync();
            client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onReply);
            client.connectWith().cleanStart(true).sessionExpiryInterval(0).send().whenComplete((ack, error) -> {
                if (error != null) {
                    LOG.debugf("node %d broker not reachable yet: %s", node, error.getMessage());
                }
            });
        }

        private void subscribe() {
            CompletableFuture<Void> done = subscribed;
            client.subscribeWith().topicFilter(replyTopic).qos(MqttQos.AT_LEAST_ONCE).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            done.complete(null);
                        } else {
                            LOG.warnf("cannot subscribe %s on node %d: %s", replyTopic, node, error.getMessage());
                        }
                    });
        }

        CompletableFuture<CommandResult> send(NodeCommand command) {
            CompletableFuture<CommandResult> future = new CompletableFuture<>();
            Sent sent = new Sent(command.type(), future);
            pending.put(command.id(), sent);
            subscribed.thenRun(() -> sent.publishing(System.nanoTime())).thenRun(() -> client.publishWith().topic(ControlTopics.commands(dnsName, node))
                    .qos(MqttQos.AT_LEAST_ONCE).responseTopic(replyTopic)
                    .correlationData(command.id().getBytes(StandardCharsets.UTF_8))
                    .contentType("application/json").payload(ControlJson.write(command)).send()
                    .whenComplete((r, error) -> {
                        if (error != null) {
                            future.completeExceptionally(error);
                        }
                    }));
            return future;
        }

        private void onReply(Mqtt5Publish publish) {
            if (!publish.getTopic().toString().equals(replyTopic)) {
                return;
            }
            try {
                CommandResult result = ControlJson.read(publish.getPayloadAsBytes(), CommandResult.class);
                Sent sent = pending.remove(result.commandId());
                if (sent != null) {
                    roundTrips.answered(node, sent.type, System.nanoTime() - sent.publishedAt);
                    sent.future.complete(result);
                }
            } catch (RuntimeException e) {
                LOG.warnf("unreadable reply from node %d: %s", node, e.getMessage());
            }
        }

        /** A command waiting for its answer; timed from its publish, not from the wait for the subscription. */
        private static final class Sent {
            final String type;
            final CompletableFuture<CommandResult> future;
            volatile long publishedAt = System.nanoTime();

            Sent(String type, CompletableFuture<CommandResult> future) {
                this.type = type;
                this.future = future;
            }

            void publishing(long now) {
                publishedAt = now;
            }
        }

        void close() {
            try {
                client.disconnect().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("disconnect from node %d: %s", node, e.getMessage());
            }
        }
    }
}
