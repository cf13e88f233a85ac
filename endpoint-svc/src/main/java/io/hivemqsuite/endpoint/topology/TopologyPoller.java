package io.hivemqsuite.endpoint.topology;

import io.hivemqsuite.endpoint.settings.EndpointSettings;
import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the scheduler for the target spec and every node agent for its status, about once a second, and fires the
 * new {@link Topology} to the DNS and VIP parts. Polling HTTP (not the control topic) because the endpoint service
 * must keep working while brokers are down: that is exactly when clients need the VIP to route around them.
 */
@ApplicationScoped
public class TopologyPoller {
    private static final Logger LOG = Logger.getLogger(TopologyPoller.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(900);

    @Inject
    EndpointSettings settings;
    @Inject
    Event<Topology> changes;

    private final AtomicReference<Topology> current = new AtomicReference<>(Topology.UNKNOWN);
    private final OptionsReader reader = new OptionsReader();
    private final InternalHttp http = new InternalHttp(REQUEST_TIMEOUT);
    private ScheduledExecutorService executor;
    private volatile String lastSchedulerProblem;
    private String lastSpecJson;

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topology-poller");
            t.setDaemon(true);
            return t;
        });
        long interval = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pollSafely, 0, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public Topology current() {
        return current.get();
    }

    private void pollSafely() {
        try {
            Topology next = poll();
            Topology previous = current.getAndSet(next);
            if (!next.equals(previous)) {
                LOG.debugf("topology changed: %d of %d nodes answer", next.statuses().size(), next.nodeCount());
            }
            changes.fire(next);
        } catch (RuntimeException e) {
            LOG.warn("topology poll failed", e);
        }
    }

    private Topology poll() {
        ServiceOptions options = pollSpec().orElse(current.get().options());
        if (options == null) {
            return Topology.UNKNOWN;
        }
        Map<Integer, CompletableFuture<NodeStatus>> requests = new HashMap<>();
        for (int i = 0; i < options.node().count(); i++) {
            requests.put(i, pollAgent(i));
        }
        Map<Integer, NodeStatus> statuses = new HashMap<>();
        requests.forEach((index, request) -> {
            try {
                NodeStatus status = request.get(REQUEST_TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS);
                if (status != null) {
                    String address = status.address() == null || status.address().isBlank()
                            ? settings.layout().nodeAddress(index) : status.address();
                    statuses.put(index, new NodeStatus(index, status.pod(), address, status.state(),
                            status.brokerPid(), status.brokerStarts(), status.listeners(), status.message(), 0,
                            null, null, status.brokerVersion()));
                }
            } catch (Exception e) {
                request.cancel(true);
            }
        });
        return new Topology(options, statuses);
    }

    private java.util.Optional<ServiceOptions> pollSpec() {
        try {
            InternalHttp.Response response = http.send("GET", settings.schedulerUrl() + "/v1/configurations/target",
                    Map.of("Authorization", "Bearer " + settings.apiToken(), "Accept", "application/json"), null,
                    REQUEST_TIMEOUT);
            if (response.statusCode() != 200) {
                problem("scheduler answered " + response.statusCode() + " to GET /v1/configurations/target");
                return java.util.Optional.empty();
            }
            String body = response.body();
            if (body.equals(lastSpecJson)) {
                return java.util.Optional.ofNullable(current.get().options());
            }
            ServiceOptions options = reader.read(body);
            lastSpecJson = body;
            problem(null);
            return java.util.Optional.of(options);
        } catch (Exception e) {
            problem("scheduler at " + settings.schedulerUrl() + " not reachable: " + e);
            return java.util.Optional.empty();
        }
    }

    private CompletableFuture<NodeStatus> pollAgent(int index) {
        String url = "http://" + settings.layout().nodeAddress(index) + ":" + settings.agentPort() + "/v1/node/status";
        return http.sendAsync("GET", url,
                        Map.of("Authorization", "Bearer " + settings.credential(), "Accept", "application/json"), null,
                        REQUEST_TIMEOUT)
                .thenApply(r -> r.statusCode() == 200
                        ? ControlJson.read(r.body(), NodeStatus.class) : null)
                .exceptionally(e -> null);
    }

    private void problem(String message) {
        if (!Objects.equals(message, lastSchedulerProblem)) {
            if (message != null) {
                LOG.warn(message + " (keeping the last known spec)");
            } else if (lastSchedulerProblem != null) {
                LOG.info("scheduler reachable again");
            }
            lastSchedulerProblem = message;
        }
    }
}
