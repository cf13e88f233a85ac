package io.hivemqsuite.protocol.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Plain HTTP between the suite's own processes (agents, scheduler, endpoint-svc, sidecar-svc on their node and slot
 * addresses), on {@link HttpURLConnection} rather than the JDK's {@code java.net.http.HttpClient}. Building such a
 * client sets up TLS (the default {@code SSLContext}, the JDK's trust store parsed) and a selector thread even when
 * every URL is {@code http:}: ~1300 classes and ~10 MB resident in each small service JVM that holds one, for calls
 * that never use TLS. Asynchronous calls run on daemon threads that exist only while calls are under way (they
 * end after a few idle seconds), so that calls to several nodes still go out at once.
 */
public final class InternalHttp {
    private static final ExecutorService CALLS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "internal-http");
                t.setDaemon(true);
                return t;
            });

    private final int connectTimeoutMs;

    /** An answer: the status and the body as text (the error body for a status of 400 and more). */
    public record Response(int statusCode, String body) {
    }

    public InternalHttp(Duration connectTimeout) {
        this.connectTimeoutMs = Math.toIntExact(connectTimeout.toMillis());
    }

    /**
     * One call. {@code timeout} bounds the wait for each read of the answer, {@code body} null sends none. Redirects
     * are answers, not followed (as {@code HttpClient}'s default). Throws what the connection throws: a
     * {@link java.net.ConnectException} when nothing listens, a {@link java.net.SocketTimeoutException} on a timeout.
     */
    public Response send(String method, String url, Map<String, String> headers, String body, Duration timeout)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            connection.setConnectTimeout(connectTimeoutMs);
            connection.setReadTimeout(Math.toIntExact(timeout.toMillis()));
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod(method);
            // HttpURLConnection would send a browser's Accept list; HttpClient sent none, which means any
            connection.setRequestProperty("Accept", "*/*");
            headers.forEach(connection::setRequestProperty);
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            // an answer read to its end leaves the connection to the JDK's keep-alive cache: the pollers ask the
            // same agents every second, as HttpClient's pool let them, without a new TCP connection each time
            return new Response(status, in == null ? "" : read(in));
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    /** {@link #send} on a thread of its own; the future fails with what {@code send} threw. */
    public CompletableFuture<Response> sendAsync(String method, String url, Map<String, String> headers, String body,
                                                 Duration timeout) {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        CALLS.execute(() -> {
            try {
                answer.complete(send(method, url, headers, body, timeout));
            } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
