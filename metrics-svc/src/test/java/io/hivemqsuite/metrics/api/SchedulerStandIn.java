package io.hivemqsuite.metrics.api;

import com.sun.net.httpserver.HttpServer;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * metrics-svc's one neighbour it must reach to be ready (slot 93, an address no other module's tests use): a scheduler
 * on a real socket answering a 2-node target. No broker listens on the nodes' addresses, so both nodes stay
 * unconnected and the JSON API's answer is the same from one request to the next.
 */
public class SchedulerStandIn implements QuarkusTestResourceLifecycleManager {
    static final String TOKEN = "metrics-api-token-for-tests";
    private static final String HOST = "127.0.93.200";

    private HttpServer scheduler;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("metrics-svc-test");
            Path tokenFile = Files.writeString(dir.resolve("api-token"), TOKEN + "\n");
            Path credentialFile = Files.writeString(dir.resolve("internal-credential"), "internal-for-tests");
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                port = probe.getLocalPort();
            }
            byte[] target = OptionsReader.toJson(new OptionsReader().read("{\"node\": {\"count\": 2}}"))
                    .getBytes(StandardCharsets.UTF_8);
            scheduler = HttpServer.create(new InetSocketAddress(HOST, port), 0);
            scheduler.createContext("/v1/configurations/target", exchange -> {
                boolean allowed = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = allowed ? target : "{\"message\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            scheduler.start();
            return Map.of(
                    "suite.service-name", "hivemq",
                    "suite.slot", "93",
                    "suite.token-file", tokenFile.toString(),
                    "suite.credential-file", credentialFile.toString(),
                    "suite.scheduler-url", "http://" + HOST + ":" + port,
                    "quarkus.http.host", "127.0.93.203",
                    "quarkus.http.test-host", "127.0.93.203",
                    "quarkus.http.test-port", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.stop(0);
        }
    }
}
