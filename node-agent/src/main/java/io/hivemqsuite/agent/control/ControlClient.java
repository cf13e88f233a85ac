package io.hivemqsuite.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's MQTT 5 connection to its own broker: keeps the node's retained status current on the control
 * topic, answers the node's commands (request/response) and hears the router's counters. Reconnects on its own
 * whenever the broker restarts.
 */
public final class ControlClient {
    private static final Logger LOG = Logger.getLogger(ControlClient.class);

    private final int node;
    private final String statusTopic;
    private final String commandTopic;
    private final String routingTopic;
    private final Consumer<RoutingCounters> routingWatcher;
    private final Supplier<NodeStatus> status;
    private final CommandHandler handler;
    private final Consumer<Boolean> connectionWatcher;
    private final Mqtt5AsyncClient client;
    /** One thread: commands and status publishes happen in order, never on the MQTT client's own threads. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "control-client");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean connected;
    private volatile boolean started;

    public ControlClient(String serviceDnsName, int node, String address, int mqttPort, String secret,
                         Supplier<NodeStatus> status, CommandHandler handler, Consumer<Boolean> connectionWatcher,
                         Consumer<RoutingCounters> routingWatcher) {
        this.node = node;
        this.statusTopic = ControlTopics.status(serviceDnsName, node);
        this.commandTopic = ControlTopics.commands(serviceDnsName, node);
        this.routingTopic = ControlTopics.routing(serviceDnsName, node);
        this.routingWatcher = routingWatcher;
        this.status = status;
        this.handler = handler;
        this.connectionWatcher = connectionWatcher;
        this.client = MqttClient.builder().useMqttVersion5()
                .identifier(clientId(node))
                .serverHost(address)
                .serverPort(mqttPort)
                .simpleAuth().username(InternalCredential.USERNAME)
                .password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .automaticReconnect().initialDelay(500, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(ctx -> onConnected())
                .addDisconnectedListener(ctx -> onDisconnected(ctx.getCause()))
                .buildAsync();
    }

    public static String clientId(int node) {
        return "hivemq-suite-agent-" + node;
    }

    /** Connects in the background; automatic reconnect covers a broker that is not up yet or restarts. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        client.connectWith().cleanStart(true).sessionExpiryInterval(0)
                // if the agent dies, whoever watches the node learns it from the retained status
                .willPublish().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(ControlJson.write(lostStatus())).applyWillPublish()
                .send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        LOG.infof("control client not connected yet (%s); it retries on its own", error.getMessage());
                    }
                });
    }

    public boolean connected() {
        return connected;
    }

    public void statusChanged(NodeStatus s) {
        if (connected) {
            worker.execute(() -> publishStatus(s));
        }
    }

    /** Says goodbye with a final retained status, then disconnects (no will: this is a clean exit). */
    public void stop(NodeStatus finalStatus) {
        try {
            if (connected) {
                client.publishWith().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                        .payload(ControlJson.write(finalStatus)).send().get(3, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.debugf("final status not published: %s", e.getMessage());
        }
        try {
            client.disconnect().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("disconnect: %s", e.getMessage());
        }
        worker.shutdownNow();
    }

    private void onConnected() {
        connected = true;
        LOG.infof("control client connected as %s", clientId(node));
        worker.execute(() -> {
            // every connect starts a fresh session: subscribe again and put our status back
            subscribe(commandTopic, MqttQos.AT_LEAST_ONCE);
            // Retained: the latest counters come with the SUBACK, then every change (the router publishes them).
            subscribe(routingTopic, MqttQos.AT_MOST_ONCE);
            connectionWatcher.accept(true);
            publishStatus(status.get());
        });
    }

    private void subscribe(String topic, MqttQos qos) {
        client.subscribeWith().topicFilter(topic).qos(qos).send().whenComplete((ack, error) -> {
            if (error != null) {
                LOG.warnf("cannot subscribe %s: %s", topic, error.getMessage());
            }
        });
    }

    private void onDisconnected(Throwable cause) {
        boolean was = connected;
        connected = false;
        if (was) {
            LOG.infof("control client disconnected: %s", cause.getMessage());
        }
        worker.execute(() -> connectionWatcher.accept(false));
    }

    private void publishStatus(NodeStatus s) {
        client.publishWith().topic(statusTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .contentType("application/json").payload(ControlJson.write(s)).send()
                .whenComplete((r, error) -> {
                    if (error != null) {
                        LOG.debugf("status not published: %s", error.getMessage());
                    }
                });
    }

    private void onPublish(Mqtt5Publish publish) {
        String topic = publish.getTopic().toString();
        if (topic.equals(routingTopic)) {
            worker.execute(() -> readRouting(publish.getPayloadAsBytes()));
        } else if (topic.equals(commandTopic)) {
            worker.execute(() -> answer(publish));
        }
    }

    private void readRouting(byte[] payload) {
        try {
            routingWatcher.accept(RoutingCounters.read(payload));
        } catch (IllegalArgumentException e) {
            LOG.debugf("unreadable routing counters: %s", e.getMessage());
        }
    }

    private void answer(Mqtt5Publish request) {
        byte[] payload = request.getPayloadAsBytes();
        CommandResult result;
        try {
            NodeCommand command = ControlJson.read(payload, NodeCommand.class);
            result = handler.handle(command);
        } catch (IllegalArgumentException e) {
            result = new CommandResult(idOf(payload), node, false, "malformed command: " + e.getMessage(), Map.of());
        } catch (RuntimeException e) {
            LOG.error("command failed", e);
            result = new CommandResult(idOf(payload), node, false, "command failed: " + e, Map.of());
        }
        Optional<String> responseTopic = request.getResponseTopic().map(Object::toString);
        if (responseTopic.isEmpty()) {
            LOG.warnf("command on %s has no response topic; result not sent: %s", commandTopic, result.message());
            return;
        }
        var response = client.publishWith().topic(responseTopic.get()).qos(MqttQos.AT_LEAST_ONCE)
                .contentType("application/json").payload(ControlJson.write(result));
        Optional<ByteBuffer> correlation = request.getCorrelationData();
        correlation.ifPresent(response::correlationData);
        response.send().whenComplete((r, error) -> {
            if (error != null) {
                LOG.warnf("cannot answer on %s: %s", responseTopic.get(), error.getMessage());
            }
        });
    }

    /** The id of a command we could not decode, if its JSON at least says one, so the requester can match it. */
    private static String idOf(byte[] payload) {
        try {
            JsonNode id = ControlJson.mapper().readTree(payload).get("id");
            return id != null && id.isTextual() ? id.asText() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private NodeStatus lostStatus() {
        NodeStatus s = status.get();
        return new NodeStatus(s.node(), s.pod(), s.address(), io.hivemqsuite.protocol.message.NodeState.UNHEALTHY,
                s.brokerPid(), s.brokerStarts(), s.listeners(), "the node agent lost its connection to the broker",
                System.currentTimeMillis(), null, null, s.brokerVersion());
    }
}
