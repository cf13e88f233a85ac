package io.hivemqsuite.metrics.statsd;

import io.hivemqsuite.metrics.node.ClusterWatch;
import io.hivemqsuite.metrics.settings.MetricsSettings;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes the cluster's metrics to {@code STATSD_UDP_HOST:STATSD_UDP_PORT} every {@code hivemq.metrics_interval}
 * seconds while {@code hivemq.metrics_enabled} is true. UDP from a non-blocking channel on a thread of its own: a
 * collector that is missing or dead loses the datagrams (counted), it never blocks the service or queues anything.
 */
@ApplicationScoped
public class StatsdPusher {
    private static final Logger LOG = Logger.getLogger(StatsdPusher.class);

    @Inject
    MetricsSettings settings;
    @Inject
    SuiteSettings suite;
    @Inject
    ClusterWatch cluster;
    @Inject
    MeterRegistry registry;

    private final DogStatsdLines lines = new DogStatsdLines();
    private ScheduledExecutorService executor;
    private DatagramChannel channel;
    private InetSocketAddress collector;
    private Counter sent;
    private Counter failed;
    private long lastPush;
    private boolean failureLogged;

    void start(@Observes StartupEvent event) {
        Optional<String> host = settings.statsdHost();
        Optional<String> port = settings.statsdPort();
        if (host.isEmpty() || port.isEmpty()) {
            LOG.info("no StatsD collector (STATSD_UDP_HOST/STATSD_UDP_PORT unset): metrics are served on /metrics only");
            return;
        }
        int number = port.get().matches("\\d{1,5}") ? Integer.parseInt(port.get()) : -1;
        if (number < 1 || number > 65535) {
            LOG.errorf("STATSD_UDP_PORT must be a port 1..65535 but is '%s': nothing is pushed to StatsD", port.get());
            return;
        }
        try {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
        } catch (IOException e) {
            LOG.errorf("cannot open a UDP socket for StatsD: %s", e.getMessage());
            return;
        }
        sent = Counter.builder("hivemq_suite_statsd_datagrams_sent").description("StatsD datagrams sent")
                .register(registry);
        failed = Counter.builder("hivemq_suite_statsd_datagrams_failed")
                .description("StatsD datagrams that could not be sent (dropped, never queued)").register(registry);
        String hostName = host.get();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "statsd-push");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> tick(hostName, number), 1, 1, TimeUnit.SECONDS);
        LOG.infof("pushing metrics to StatsD at %s:%d while hivemq.metrics_enabled is true", hostName, number);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debugf("closing the StatsD socket: %s", e.getMessage());
            }
        }
    }

    private void tick(String host, int port) {
        try {
            ServiceOptions options = cluster.options();
            long now = System.currentTimeMillis();
            if (options == null || !options.hivemq().metricsEnabled()
                    || now - lastPush < options.hivemq().metricsInterval() * 1000L - 500) {
                return;
            }
            lastPush = now;
            if (collector == null || collector.isUnresolved()) {
                // resolved here, on this thread: a slow resolver delays only the push
                collector = new InetSocketAddress(host, port);
            }
            for (byte[] datagram : lines.push(suite.requiredServiceName(), cluster.nodes())) {
                send(datagram);
            }
        } catch (RuntimeException e) {
            LOG.warnf("StatsD push failed: %s", e);
        }
    }

    private void send(byte[] datagram) {
        try {
            if (!collector.isUnresolved() && channel.send(ByteBuffer.wrap(datagram), collector) > 0) {
                sent.increment();
                failureLogged = false;
                return;
            }
        } catch (IOException e) {
            if (!failureLogged) {
                LOG.infof("cannot send to StatsD at %s: %s (datagrams are dropped until it works)", collector,
                        e.getMessage());
            }
        }
        failureLogged = true;
        failed.increment();
    }
}
