package io.hivemqsuite.endpoint.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint service's neighbours on real sockets (slot 89): a scheduler answering the target spec, three node
 * agents answering their status, and an MQTT-port stand-in on node 0 that greets and echoes. The agents' answers
 * can be changed by a test to make nodes come and go.
 */
public class FakeSuite implements QuarkusTestResourceLifecycleManager {
    static final String TOKEN = "api-token-for-tests";
    static final String CREDENTIAL = "internal-secret-for-tests";
    static final String DNS_HOST = "127.0.89.53";
    static final String VIP_HOST = "127.0.89.250";
    /** Node index to the state its agent reports; a missing node's agent answers 503 (as if not running). */
    static final Map<Integer, NodeState> STATES = new ConcurrentHashMap<>();
    static int mqttPort;
    static int dnsPort;
    static Path home;

    private final List<HttpServer> servers = new ArrayList<>();
    private ServerSocket broker;

    @Override
    public Map<String, String> start() {
        try {
            home = Files.createTempDirectory("endpoint-svc-test");
            Path serviceDir = Files.createDirectories(home.resolve("hivemq"));
            Path tokenFile = Files.writeString(serviceDir.resolve("api-token"), TOKEN + "\n");
            Path credentialFile = Files.writeString(serviceDir.resolve("internal-credential"), CREDENTIAL);
            mqttPort = freePort("127.0.89.1");
            dnsPort = freePort(DNS_HOST);
            int schedulerPort = freePort("127.0.89.200");
            int agentPort = freePort("127.0.89.1");
            String spec = OptionsReader.toJson(new OptionsReader().read(
                    "{\"hivemq\": {\"listener_configuration\": {\"mqtt_port\": " + mqttPort + "}}}"));

            HttpServer scheduler = HttpServer.create(new InetSocketAddress("127.0.89.200", schedulerPort), 0);
            scheduler.createContext("/v1/configurations/target", exchange -> answer(exchange, TOKEN, 200, spec));
            servers.add(scheduler);
            for (int node = 0; node < 3; node++) {
                int index = node;
                STATES.put(node, NodeState.HEALTHY);
                HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.89." + (node + 1), agentPort), 0);
                agent.createContext("/v1/node/status", exchange -> {
                    NodeState state = STATES.get(index);
                    if (state == null) {
                        answer(exchange, CREDENTIAL, 503, "{\"message\":\"not running\"}");
                        return;
                    }
                    NodeStatus status = new NodeStatus(index, "hivemq-" + index, "127.0.89." + (index + 1), state,
                            1000 + index, 1, Map.of("mqtt", new NodeStatus.ListenerStatus(mqttPort, true)), "",
                            System.currentTimeMillis());
                    answer(exchange, CREDENTIAL, 200, new String(ControlJson.write(status), StandardCharsets.UTF_8));
                });
                servers.add(agent);
            }
            servers.forEach(HttpServer::start);
            startBroker();
            return Map.ofEntries(
                    Map.entry("suite.service-name", "hivemq"),
                    Map.entry("suite.slot", "89"),
                    Map.entry("suite.service-dir", serviceDir.toString()),
                    Map.entry("hivemq.suite.home", home.toString()),
                    Map.entry("suite.token-file", tokenFile.toString()),
                    Map.entry("suite.credential-file", credentialFile.toString()),
                    Map.entry("suite.scheduler-url", "http://127.0.89.200:" + schedulerPort),
                    Map.entry("suite.agent-port", String.valueOf(agentPort)),
                    Map.entry("suite.dns.host", DNS_HOST),
                    Map.entry("suite.dns.port", String.valueOf(dnsPort)),
                    Map.entry("suite.poll-interval-ms", "300"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Node 0's MQTT port: greets each connection and echoes, one thread per test connection is plenty. */
    private void startBroker() throws IOException {
        broker = new ServerSocket(mqttPort, 50, InetAddress.getByName("127.0.89.1"));
        Thread acceptor = new Thread(() -> {
            while (!broker.isClosed()) {
                try {
                    Socket socket = broker.accept();
                    Thread echo = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            out.write("node-0\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // client left
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void answer(HttpExchange exchange, String token, int status, String body) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] bytes;
        if (!("Bearer " + token).equals(auth)) {
            status = 401;
            bytes = "{\"message\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        servers.forEach(s -> s.stop(0));
        try {
            broker.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
