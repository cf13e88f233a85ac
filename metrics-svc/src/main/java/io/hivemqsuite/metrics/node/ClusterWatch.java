package io.hivemqsuite.metrics.node;

import io.hivemqsuite.metrics.settings.MetricsSettings;
import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.options.TargetOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which nodes the service has (the scheduler's target options, read again every few seconds so that updates that add
 * nodes or change the metrics settings are followed) and one {@link NodeFeed} per node.
 *
 * <p>Why not SmallRye Reactive Messaging's MQTT connector: its channels are declared in configuration with one fixed
 * broker address each. Here every node's broker is its own bus (CE brokers are not clustered and control topics are
 * never routed), and the set of nodes changes at runtime; the HiveMQ MQTT client, as the agents and sidecar-svc use
 * it, opens and closes one connection per node as the target says.
 */
@ApplicationScoped
public class ClusterWatch {
    private static final Logger LOG = Logger.getLogger(ClusterWatch.class);
    static final long REFRESH_SECONDS = 5;

    @Inject
    MetricsSettings settings;
    @Inject
    MeterRegistry registry;

    private final Map<Integer, NodeFeed> feeds = new ConcurrentSkipListMap<>();
    private volatile ServiceOptions options;
    private volatile String problem = "the scheduler's target configuration was not read yet";
    private ScheduledExecutorService executor;
    private int mqttPort;

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-watch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        FunctionCounter.builder("hivemq_suite_metrics_snapshots_received", this,
                w -> w.feeds.values().stream().mapToLong(f -> f.report.snapshotsReceived()).sum())
                .description("broker metrics snapshots read from the control topics").register(registry);
        FunctionCounter.builder("hivemq_suite_metrics_messages_refused", this,
                w -> w.feeds.values().stream().mapToLong(f -> f.report.refusedMessages()).sum())
                .description("control messages that did not decode (logged once per streak)").register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
        feeds.values().forEach(NodeFeed::close);
        feeds.clear();
    }

    /** Null until the target options were read once. */
    public ServiceOptions options() {
        return options;
    }

    /** Why the service is not ready, or null when it is. */
    public String problem() {
        return problem;
    }

    /** Every node of the target, in index order, as of now. */
    public List<NodeView> nodes() {
        ServiceOptions o = options;
        if (o == null) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<NodeView> views = new ArrayList<>();
        for (NodeFeed feed : feeds.values()) {
            views.add(feed.report.view(now, o.hivemq().metricsEnabled(), settings.staleAfterIntervals()));
        }
        return views;
    }

    private void refresh() {
        ServiceOptions target;
        try {
            target = TargetOptions.fetch(settings.schedulerUrl(), settings.token());
        } catch (RuntimeException e) {
            // keep following the nodes we know; the next refresh asks again
            if (problem == null || options == null) {
                LOG.infof("cannot read the cluster's target configuration: %s", e.getMessage());
            }
            problem = options == null ? e.getMessage() : null;
            return;
        }
        try {
            int port = target.enabledListeners().stream().filter(l -> l.listener() == Listener.MQTT).findFirst()
                    .map(ServiceOptions.ListenerEndpoint::port).orElse(1883);
            if (port != mqttPort) {
                feeds.values().forEach(NodeFeed::close);
                feeds.clear();
                mqttPort = port;
            }
            int count = target.node().count();
            for (int i = 0; i < count; i++) {
                int node = i;
                feeds.computeIfAbsent(node, n -> new NodeFeed(target.service().dnsName(), n,
                        settings.nodeAddress(n), port, settings.credential(), new NodeReport(n)));
            }
            for (Integer node : List.copyOf(feeds.keySet())) {
                if (node >= count) {
                    feeds.remove(node).close();
                }
            }
            options = target;
            problem = null;
        } catch (RuntimeException e) {
            LOG.warnf("cannot follow the cluster's nodes: %s", e);
            problem = "cannot follow the cluster's nodes: " + e.getMessage();
        }
    }
}
