package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.SchedulerEndpoint;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;

/** A service the CLI installed, seen from outside: its scheduler.json, its REST APIs and its folders. */
record InstalledService(Path home, String name, SchedulerEndpoint endpoint, String internalCredential) {

    static InstalledService read(Path home, String name) {
        Path dir = home.resolve(name);
        try {
            return new InstalledService(home, name, SchedulerEndpoint.read(dir.resolve("scheduler.json")),
                    Files.readString(dir.resolve("internal-credential")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LocalLayout layout() {
        return new LocalLayout(home, name, endpoint.slot(), endpoint.nodeNamespaces());
    }

    Path serviceDir() {
        return home.resolve(name);
    }

    Response get(String path) {
        return given().header("Authorization", "Bearer " + endpoint.token()).get(endpoint.url() + path);
    }

    Response getWithoutToken(String path) {
        return given().get(endpoint.url() + path);
    }

    /** The MQTT VIP's view per node (endpoint-svc {@code GET /v1/vip}): pod, inRotation, connections, ... */
    List<Map<String, Object>> mqttVipNodes() {
        Response response = given().header("Authorization", "Bearer " + endpoint.token())
                .get(layout().endpointUrl() + "/v1/vip");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /v1/vip: " + response.statusCode() + " " + response.asString());
        }
        return response.jsonPath().getList("listeners.find { it.name == 'mqtt' }.nodes");
    }

    /** The MQTT VIP's open connections per node index. */
    int[] vipConnections(int nodes) {
        int[] counts = new int[nodes];
        for (Map<String, Object> n : mqttVipNodes()) {
            counts[Integer.parseInt(((String) n.get("pod")).substring("hivemq-".length()))] = (Integer) n.get("connections");
        }
        return counts;
    }

    NodeStatus nodeStatus(int node) {
        String body = given().header("Authorization", "Bearer " + internalCredential)
                .get(layout().agentUrl(node) + "/v1/node/status")
                .then().statusCode(200).extract().asString();
        return ControlJson.read(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), NodeStatus.class);
    }

    /** Keeps every log of the service under target/ so a failed run can be read after the folder is gone. */
    void keepLogs(Path target) {
        if (!Files.isDirectory(serviceDir())) {
            return;
        }
        try (Stream<Path> files = Files.walk(serviceDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
                Path copy = target.resolve(serviceDir().relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the logs of " + serviceDir() + ": " + e);
        }
    }
}
