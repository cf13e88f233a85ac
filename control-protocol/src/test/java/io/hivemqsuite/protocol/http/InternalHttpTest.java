package io.hivemqsuite.protocol.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls against a real HTTP server (the JDK's) on loopback, as the services make them to each other. */
class InternalHttpTest {
    private final InternalHttp http = new InternalHttp(Duration.ofSeconds(2));
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService handlers = Executors.newFixedThreadPool(3);
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(body, StandardCharsets.UTF_8));
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/refused", exchange -> {
            byte[] answer = "{\"message\":\"no\",\"field\":\"nodes\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/echo");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.setExecutor(handlers);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void sendsMethodHeadersAndBodyAndReadsTheAnswer() throws IOException {
        InternalHttp.Response response = http.send("PUT", base + "/echo",
                Map.of("Authorization", "Bearer t", "Content-Type", "application/json"), "{\"nodes\":{}}",
                Duration.ofSeconds(2));
        assertEquals(200, response.statusCode());
        assertEquals("{\"ok\":true}", response.body());
        assertEquals(List.of("PUT Bearer t application/json {\"nodes\":{}}"), seen);
    }

    @Test
    void anErrorStatusComesWithItsBody() throws IOException {
        InternalHttp.Response response = http.send("GET", base + "/refused", Map.of(), null, Duration.ofSeconds(2));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"field\":\"nodes\""), response.body());
    }

    @Test
    void aRedirectIsAnAnswerNotFollowed() throws IOException {
        assertEquals(302, http.send("GET", base + "/moved", Map.of(), null, Duration.ofSeconds(2)).statusCode());
        assertTrue(seen.isEmpty());
    }

    @Test
    void nothingListeningIsAConnectException() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/echo";
        assertThrows(ConnectException.class, () -> http.send("GET", url, Map.of(), null, Duration.ofSeconds(2)));
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> http.sendAsync("GET", url, Map.of(), null, Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, failed.getCause());
    }

    @Test
    void asynchronousCallsGoOutAtOnce() throws Exception {
        // each answer waits until all three calls arrived: one at a time, none would ever be answered
        CountDownLatch all = new CountDownLatch(3);
        server.createContext("/together", exchange -> {
            all.countDown();
            try {
                all.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(all.getCount() == 0 ? 200 : 504, -1);
            exchange.close();
        });
        List<CompletableFuture<InternalHttp.Response>> calls = List.of(
                http.sendAsync("GET", base + "/together", Map.of(), null, Duration.ofSeconds(10)),
                http.sendAsync("GET", base + "/together", Map.of(), null, Duration.ofSeconds(10)),
                http.sendAsync("GET", base + "/together", Map.of(), null, Duration.ofSeconds(10)));
        for (CompletableFuture<InternalHttp.Response> call : calls) {
            assertEquals(200, call.get(10, TimeUnit.SECONDS).statusCode());
        }
    }
}
