package io.hivemqsuite.metrics.node;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * metrics-svc's MQTT 5 connection to one node's broker, as internal client: the node's metrics snapshots (live) and
 * its agent's status and router counters (retained, so they arrive with the SUBACK). The brokers are not clustered
 * and the control topics are never routed, so every node's bus is its own connection.
 */
final class NodeFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeFeed.class);

    final NodeReport report;
    private final String metricsTopic;
    private final String statusTopic;
    private final String routingTopic;
    private final Mqtt5AsyncClient client;
    private volatile boolean refusalLogged;

    NodeFeed(String dnsName, int node, String address, int mqttPort, String secret, NodeReport report) {
        this.report = report;
        this.metricsTopic = ControlTopics.metrics(dnsName, node);
        this.statusTopic = ControlTopics.status(dnsName, node);
        this.routingTopic = ControlTopics.routing(dnsName, node);
        this.client = MqttClient.builder().useMqttVersion5()
                .identifier("hivemq-suite-metrics-" + node)
                .serverHost(address).serverPort(mqttPort)
                .simpleAuth().username(InternalCredential.USERNAME)
                .password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .automaticReconnect().initialDelay(500, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(ctx -> onConnected())
                .addDisconnectedListener(ctx -> report.connected(false))
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        client.connectWith().cleanStart(true).sessionExpiryInterval(0).send().whenComplete((ack, error) -> {
            if (error != null) {
                LOG.debugf("node %d broker not reachable yet (%s); retrying on its own", node, error.getMessage());
            }
        });
    }

    private void onConnected() {
        report.connected(true);
        client.subscribeWith()
                .addSubscription().topicFilter(metricsTopic).qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter(statusTopic).qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter(routingTopic).qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .send().whenComplete((ack, error) -> {
                    if (error != null) {
                        LOG.warnf("cannot subscribe to node %d's control topics: %s", report.node, error.getMessage());
                    }
                });
    }

    private void onPublish(Mqtt5Publish publish) {
        String topic = publish.getTopic().toString();
        byte[] payload = publish.getPayloadAsBytes();
        try {
            if (topic.equals(metricsTopic)) {
                MetricsSnapshot snapshot = MetricsSnapshot.decode(payload);
                if (snapshot.node() != report.node) {
                    throw new IllegalArgumentException("snapshot of node " + snapshot.node() + " on node "
                            + report.node + "'s topic");
                }
                report.snapshot(snapshot);
            } else if (topic.equals(statusTopic)) {
                report.status(ControlJson.read(payload, NodeStatus.class));
            } else if (topic.equals(routingTopic)) {
                report.routing(RoutingCounters.read(payload));
            }
            refusalLogged = false;
        } catch (IllegalArgumentException e) {
            report.refused();
            // one line per streak of bad messages, not one per interval
            if (!refusalLogged) {
                refusalLogged = true;
                LOG.warnf("refused a message on %s: %s", topic, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("disconnect from node %d: %s", report.node, e.getMessage());
        }
    }
}
