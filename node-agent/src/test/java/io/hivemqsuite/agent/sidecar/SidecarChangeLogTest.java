package io.hivemqsuite.agent.sidecar;

import com.sun.net.httpserver.HttpServer;
import io.hivemqsuite.protocol.sidecar.SidecarChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new node's read of sidecar-svc's change log ({@code GET /v1/changes}) against a real HTTP server standing in
 * for sidecar-svc: no broker needed, so it runs without the heavy tests' lock.
 */
class SidecarChangeLogTest {
    private static final String CHANGES = """
            [{"seq": 2, "plan": "add-license", "parameters": {"sha256": "b"}, "completedAt": 2, "extension": null},
             {"seq": 1, "plan": "add-extension", "parameters": {"sha256": "a"}, "completedAt": 1, "extension": "x"}]
            """;

    private final AtomicInteger asked = new AtomicInteger();
    private volatile String authorization;
    private HttpServer sidecar;
    private String url;

    @BeforeEach
    void start() throws IOException {
        sidecar = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sidecar.createContext("/v1/changes", exchange -> {
            authorization = exchange.getRequestHeaders().getFirst("Authorization");
            // the first answer is the 503 of a sidecar-svc still reconnecting to ZooKeeper
            boolean ready = asked.incrementAndGet() > 1;
            byte[] body = (ready ? CHANGES : "{\"message\":\"not ready\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sidecar.start();
        url = "http://127.0.0.1:" + sidecar.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        sidecar.stop(0);
    }

    @Test
    void aNewNodeReadsEveryChangeWithTheInternalCredentialAskingAgainWhileSidecarIsNotReady() throws IOException {
        List<SidecarChange> changes = SidecarCatchUp.fetch(url, "internal-secret", true);
        assertEquals(2, asked.get());
        assertEquals("Bearer internal-secret", authorization);
        assertEquals(List.of(2L, 1L), changes.stream().map(SidecarChange::seq).toList());
        assertEquals("a", changes.get(1).parameters().get("sha256"));
    }

    @Test
    void nothingListeningAtTheDerivedAddressMeansNoSidecarServiceAndNothingToCatchUp() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertTrue(SidecarCatchUp.fetch("http://127.0.0.1:" + port, "internal-secret", false).isEmpty());
    }
}
