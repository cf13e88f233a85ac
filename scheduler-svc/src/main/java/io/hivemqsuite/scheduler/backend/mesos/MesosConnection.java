package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.protocol.security.ServiceAccountLogin;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The scheduler's side of the Mesos v1 scheduler HTTP API: one long-lived SUBSCRIBE whose answer is the RecordIO
 * event stream, and short calls that carry the stream's {@code Mesos-Stream-Id}. It follows a non-leading master's
 * 307 to the leader, and treats a lost stream, a refused call (400 stream id / 403 not subscribed) and a stream
 * silent for more than {@value #MISSED_HEARTBEATS} heartbeat intervals the same way: subscribe again, with the
 * FrameworkID the {@link FrameworkInfo} supplier gives (the stored one after the first SUBSCRIBED). With a
 * {@link ServiceAccountLogin}, every request carries {@code Authorization: token=...}; a 401 logs in again and the
 * call is sent once more (a SUBSCRIBE is simply tried again).
 */
final class MesosConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MesosConnection.class);
    static final String PROTOBUF = "application/x-protobuf";
    private static final int MISSED_HEARTBEATS = 3;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** What the backend does with the stream. */
    interface Handler {
        /** Right after SUBSCRIBED, before any other event of the stream is read. */
        void subscribed(FrameworkID id);

        void event(Event event);

        void disconnected(String why);
    }

    private final Supplier<FrameworkInfo> frameworkInfo;
    private final Handler handler;
    private final ServiceAccountLogin login;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mesos-heartbeat-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile URI endpoint;
    private volatile String streamId;
    private volatile FrameworkID frameworkId;
    private volatile InputStream body;
    private volatile long lastEventMs;
    private volatile long heartbeatMs = 15_000;
    private volatile boolean closed;
    private volatile String lastProblem;
    private Thread reader;

    MesosConnection(String masterUrl, ServiceAccountLogin login, Supplier<FrameworkInfo> frameworkInfo, Handler handler) {
        this.endpoint = URI.create(masterUrl + "/api/v1/scheduler");
        this.login = login;
        this.frameworkInfo = frameworkInfo;
        this.handler = handler;
    }

    void start() {
        reader = new Thread(this::run, "mesos-event-stream");
        reader.setDaemon(true);
        reader.start();
        watchdog.scheduleWithFixedDelay(this::checkHeartbeats, 500, 500, TimeUnit.MILLISECONDS);
    }

    boolean connected() {
        return streamId != null;
    }

    /** Why the last subscription attempt failed; empty while connected. */
    Optional<String> lastProblem() {
        return connected() ? Optional.empty() : Optional.ofNullable(lastProblem);
    }

    String leaderUrl() {
        return endpoint.resolve("/").toString().replaceAll("/$", "");
    }

    private void run() {
        long backoffMs = 250;
        while (!closed) {
            try {
                subscribeAndRead();
                backoffMs = 250;
            } catch (IOException | RuntimeException e) {
                lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("Mesos event stream from %s lost: %s; subscribing again in %d ms", endpoint, lastProblem,
                        backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            boolean was = streamId != null;
            streamId = null;
            if (was) {
                handler.disconnected(lastProblem == null ? "stream ended" : lastProblem);
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = Math.min(backoffMs * 2, 5_000);
        }
    }

    private void subscribeAndRead() throws IOException, InterruptedException {
        FrameworkInfo info = frameworkInfo.get();
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            call.setFrameworkId(info.getId());
        }
        HttpResponse<InputStream> response = null;
        for (int redirects = 0; redirects < 5; redirects++) {
            String token = token();
            response = http.send(request(endpoint, call.build(), null, token, CALL_TIMEOUT),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 401 && login != null) {
                login.refresh(token);
            }
            if (response.statusCode() != 307) {
                break;
            }
            response.body().close();
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty()) {
                throw new IOException("307 from " + endpoint + " without a Location");
            }
            // Mesos answers with a scheme-relative location, //host:port/api/v1/scheduler
            endpoint = endpoint.resolve(location.get());
            LOG.infof("the leading Mesos master is at %s", endpoint);
        }
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException("SUBSCRIBE answered HTTP " + response.statusCode() + ": " + text);
        }
        String id = response.headers().firstValue("Mesos-Stream-Id")
                .orElseThrow(() -> new IOException("SUBSCRIBE answer without Mesos-Stream-Id"));
        body = response.body();
        lastEventMs = System.currentTimeMillis();
        RecordIoReader records = new RecordIoReader(body);
        try {
            while (!closed) {
                Optional<byte[]> record = records.next();
                if (record.isEmpty()) {
                    throw new IOException("the master closed the event stream");
                }
                lastEventMs = System.currentTimeMillis();
                Event event = Event.parseFrom(record.get());
                switch (event.getType()) {
                    case SUBSCRIBED -> {
                        frameworkId = event.getSubscribed().getFrameworkId();
                        if (event.getSubscribed().hasHeartbeatIntervalSeconds()) {
                            heartbeatMs = (long) (event.getSubscribed().getHeartbeatIntervalSeconds() * 1000);
                        }
                        handler.subscribed(frameworkId);
                        streamId = id;
                        lastProblem = null;
                        LOG.infof("subscribed to %s as framework %s (heartbeat every %d ms)", leaderUrl(),
                                frameworkId.getValue(), heartbeatMs);
                        handler.event(event);
                    }
                    case HEARTBEAT -> {
                        // lastEventMs is all it is for
                    }
                    case ERROR -> throw new IOException("the master sent ERROR: " + event.getError().getMessage());
                    default -> handler.event(event);
                }
            }
        } finally {
            body.close();
        }
    }

    private void checkHeartbeats() {
        InputStream current = body;
        if (streamId == null || current == null) {
            return;
        }
        long silent = System.currentTimeMillis() - lastEventMs;
        if (silent > MISSED_HEARTBEATS * heartbeatMs + 1_000) {
            LOG.warnf("no event from the master for %d ms (%d heartbeats): dropping the stream", silent,
                    MISSED_HEARTBEATS);
            lastProblem = "heartbeats missed";
            try {
                // the reader's blocked read ends with an IOException and it subscribes again
                current.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
    }

    /**
     * Sends a call on the current stream.
     *
     * @return whether the master accepted it (202); a refusal ends the stream so that it is subscribed afresh
     */
    boolean send(Call.Builder call) {
        String stream = streamId;
        FrameworkID id = frameworkId;
        if (stream == null || id == null) {
            return false;
        }
        Call built = call.setFrameworkId(id).build();
        try {
            String token = token();
            HttpResponse<String> response = http.send(request(endpoint, built, stream, token, CALL_TIMEOUT),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 && login != null) {
                LOG.infof("%s answered 401 (%s): logging in again as %s", built.getType(), response.body().strip(),
                        login.uid());
                login.refresh(token);
                response = http.send(request(endpoint, built, stream, token(), CALL_TIMEOUT),
                        HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() == 202 || response.statusCode() == 200) {
                return true;
            }
            LOG.warnf("%s refused with HTTP %d: %s", built.getType(), response.statusCode(), response.body());
            if (response.statusCode() == 307 || response.statusCode() == 400 || response.statusCode() == 403) {
                dropStream();
            }
            return false;
        } catch (IOException | IllegalStateException e) {
            LOG.warnf("%s not sent: %s", built.getType(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void dropStream() {
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
    }

    /** The login token, or null without a service account; a refused login ends the attempt like a lost stream. */
    private String token() {
        return login == null ? null : login.token();
    }

    private static HttpRequest request(URI uri, Call call, String streamId, String token, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
        if (token != null) {
            builder.header("Authorization", "token=" + token);
        }
        if (streamId != null) {
            builder.header("Mesos-Stream-Id", streamId);
        }
        return builder.build();
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        dropStream();
        Thread r = reader;
        if (r != null) {
            r.interrupt();
        }
    }
}
