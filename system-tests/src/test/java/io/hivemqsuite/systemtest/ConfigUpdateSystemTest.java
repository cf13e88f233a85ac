package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.endpoint.DnsNames;
import io.restassured.response.Response;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code update start} on a running 2-node cluster: refused and dry-run updates change nothing (same target, same
 * broker processes); enabling the MQTT-TLS and WebSocket listeners rolls node by node and afterwards a Paho TLS
 * client that trusts only the printed CA, and a WebSocket client, connect; a renewed certificate is served
 * without a broker restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigUpdateSystemTest {
    private static final String SERVICE = "upd";
    private static final String BASE = "{\"service\": {\"name\": \"upd\"}, \"node\": {\"count\": 2, \"mem\": 512, \"heap\": 128}";

    private TestCluster cluster;
    private InstalledService service;

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-upd-");
        service = cluster.install(SERVICE, BASE + "}");
    }

    @AfterAll
    void uninstall() throws IOException {
        cluster.close();
    }

    private Path options(String json) throws IOException {
        Path file = cluster.home.resolve("options-" + UUID.randomUUID() + ".json");
        return Files.writeString(file, json);
    }

    private List<Long> brokerPids() {
        return List.of(service.nodeStatus(0).brokerPid(), service.nodeStatus(1).brokerPid());
    }

    private String target() {
        return service.get("/v1/configurations/target").then().statusCode(200).extract().asString();
    }

    @Test
    @Order(1)
    void refusedUpdatesChangeNothing() throws IOException {
        String target = target();
        List<Long> pids = brokerPids();
        String plan = service.get("/v1/plans/update").asString();

        Cli.Result fewer = cluster.run("--name", SERVICE, "update", "start", "--options",
                options("{\"service\": {\"name\": \"upd\"}, \"node\": {\"count\": 1, \"mem\": 512, \"heap\": 128}}").toString());
        assertEquals(1, fewer.exitCode(), fewer.toString());
        assertTrue(fewer.err().contains("node.count") && fewer.err().contains("decommission"), fewer.toString());

        Cli.Result renamed = cluster.run("--name", SERVICE, "update", "start", "--options",
                options("{\"service\": {\"name\": \"other\"}, \"node\": {\"count\": 2, \"mem\": 512, \"heap\": 128}}").toString());
        assertEquals(1, renamed.exitCode(), renamed.toString());
        assertTrue(renamed.err().contains("service.name"), renamed.toString());

        Cli.Result invalid = cluster.run("--name", SERVICE, "update", "start", "--options",
                options(BASE + ", \"hivemq\": {\"listener_configuration\": {\"websocket_enabled\": true, \"websocket_port\": 1883}}}").toString());
        assertEquals(1, invalid.exitCode(), invalid.toString());
        assertTrue(invalid.err().contains("hivemq.listener_configuration.websocket_port"), invalid.toString());

        // The REST API refuses the same way, with the field.
        given().header("Authorization", "Bearer " + service.endpoint().token()).contentType("application/json")
                .body("{\"service\": {\"name\": \"upd\", \"mode\": \"mesos\"}, \"node\": {\"count\": 2, \"mem\": 512, \"heap\": 128}}")
                .post(service.endpoint().url() + "/v1/update").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("service.mode"));

        Poll.holds(Duration.ofSeconds(2), () -> {
            assertEquals(target, target(), "target after refused updates");
            assertEquals(pids, brokerPids(), "no broker restarted");
            assertEquals(plan, service.get("/v1/plans/update").asString(), "update plan untouched");
        });
    }

    @Test
    @Order(2)
    void dryRunShowsTheRestartsAndChangesNothing() throws IOException {
        String target = target();
        List<Long> pids = brokerPids();
        Cli.Result dry = cluster.run("--name", SERVICE, "update", "start", "--dry-run", "--options",
                options(BASE + ", \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true, \"websocket_enabled\": true}}}").toString());
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.out().contains("hivemq-0 would restart") && dry.out().contains("hivemq-1 would restart"),
                dry.toString());
        assertTrue(dry.out().contains("hivemq.listener_configuration.mqtt_tls_enabled: false -> true"), dry.toString());
        Poll.holds(Duration.ofSeconds(2), () -> {
            assertEquals(target, target(), "a dry run changes no target");
            assertEquals(pids, brokerPids(), "a dry run restarts no broker");
        });
    }

    @Test
    @Order(3)
    void enablingTlsAndWebSocketOnTheRunningCluster() throws Exception {
        List<Long> pids = brokerPids();
        Cli.Result update = cluster.run("--name", SERVICE, "update", "start", "--options",
                options(BASE + ", \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true, \"websocket_enabled\": true}}}").toString());
        assertEquals(0, update.exitCode(), update.toString());
        Poll.until(Duration.ofMinutes(3), "update plan COMPLETE", () -> {
            Response plan = service.get("/v1/plans/update");
            assertNotEquals(417, plan.statusCode(), plan.asString());
            return plan.statusCode() == 200;
        });
        Cli.Result status = cluster.run("--name", SERVICE, "update", "status");
        assertTrue(status.out().contains("hivemq-1:[node]") && status.out().contains("COMPLETE"), status.toString());
        service.get("/v1/configurations/target").then().statusCode(200)
                .body("hivemq.listener_configuration.mqtt_tls_enabled", org.hamcrest.Matchers.equalTo(true));
        List<Long> after = brokerPids();
        assertNotEquals(pids.get(0), after.get(0), "hivemq-0 restarted");
        assertNotEquals(pids.get(1), after.get(1), "hivemq-1 restarted");

        Cli.Result ca = cluster.run("--name", SERVICE, "endpoints", "mqtt-tls", "--ca");
        assertEquals(0, ca.exitCode(), ca.toString());
        assertTrue(ca.out().startsWith("-----BEGIN CERTIFICATE-----"), ca.toString());
        Cli.Result endpoints = cluster.run("--name", SERVICE, "endpoints");
        assertTrue(endpoints.out().contains("mqtt-tls") && endpoints.out().contains("websocket"), endpoints.toString());

        for (int node = 0; node < 2; node++) {
            String address = service.layout().nodeAddress(node);
            String name = DnsNames.autoip(SERVICE, node);
            MqttAsyncClient tls = SecureClients.connectTls(address, 8883, name, ca.out(), "tls-" + node);
            roundTrip(tls, "st/tls/" + node);
            tls.disconnect().waitForCompletion(5_000);
            tls.close();
            MqttAsyncClient ws = SecureClients.connectWebSocket(address, 8000, "ws-" + node);
            roundTrip(ws, "st/ws/" + node);
            ws.disconnect().waitForCompletion(5_000);
            ws.close();
        }
        // A client that insists on a name the certificate does not carry is refused.
        org.junit.jupiter.api.Assertions.assertThrows(MqttException.class, () -> SecureClients.connectTls(
                service.layout().nodeAddress(0), 8883, "not-a-node.example", ca.out(), "tls-wrong-name"));
    }

    @Test
    @Order(4)
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        String ca = cluster.run("--name", SERVICE, "endpoints", "--ca").out();
        String address = service.layout().nodeAddress(0);
        String before = SecureClients.servedSerial(address, 8883, ca);
        long pid = service.nodeStatus(0).brokerPid();
        String renewed = given().header("Authorization", "Bearer " + service.endpoint().token())
                .post(service.endpoint().url() + "/v1/certificates/renew?pod=hivemq-0")
                .then().statusCode(200).extract().path("'hivemq-0'");
        assertTrue(renewed.startsWith("renewed: serial "), renewed);
        String serial = renewed.substring("renewed: serial ".length());
        assertNotEquals(before, serial);
        // HiveMQ hashes its keystores every 10 s and reloads a changed one.
        Poll.until(Duration.ofSeconds(45), "the new certificate served", () ->
                serial.equals(SecureClients.servedSerial(address, 8883, ca)));
        assertEquals(pid, service.nodeStatus(0).brokerPid(), "the broker was not restarted");
        MqttAsyncClient tls = SecureClients.connectTls(address, 8883, DnsNames.autoip(SERVICE, 0), ca, "tls-renewed");
        roundTrip(tls, "st/tls/renewed");
        tls.disconnect().waitForCompletion(5_000);
        tls.close();
    }

    /** Subscribes, publishes QoS 1 on the same connection and waits for the message. */
    static void roundTrip(MqttAsyncClient client, String topic) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        client.setCallback(MessageCallback.onMessage((t, message) ->
                received.add(t + "=" + new String(message.getPayload(), StandardCharsets.UTF_8))));
        client.subscribe(topic, 1).waitForCompletion(10_000);
        MqttMessage message = new MqttMessage("hello".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message).waitForCompletion(10_000);
        String got = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(got, "no message on " + topic);
        assertEquals(topic + "=hello", got);
    }
}
