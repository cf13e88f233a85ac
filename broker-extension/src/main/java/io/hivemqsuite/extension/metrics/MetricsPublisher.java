package io.hivemqsuite.extension.metrics;

import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Publishes a {@link MetricsSnapshot} of this broker on {@code ControlTopics.metrics(service, node)} every interval.
 * Not retained: a node that stops publishing must look silent to metrics-svc, not frozen at its last values.
 * QoS 0: a lost snapshot is replaced by the next one, and nothing queues up for a reader that is away.
 */
public final class MetricsPublisher {
    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class.getName());

    private final String topic;
    private final ExtensionSettings.Metrics settings;
    private final RegistryReader reader;
    private ScheduledFuture<?> task;
    private boolean failureLogged;

    public MetricsPublisher(String serviceDnsName, ExtensionSettings.Metrics settings) {
        this.topic = ControlTopics.metrics(serviceDnsName, settings.nodeIndex());
        this.settings = settings;
        this.reader = new RegistryReader(Services.metricRegistry());
    }

    /** Runs on the broker's extension executor, which the broker shuts down with the extension. */
    public void start() {
        long period = settings.intervalSeconds();
        task = Services.extensionExecutorService().scheduleAtFixedRate(this::publish, period, period, TimeUnit.SECONDS);
        LOG.info("publishing broker metrics on " + topic + " every " + period + " s");
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    @NotNull MetricsSnapshot snapshot() {
        return new MetricsSnapshot(settings.nodeIndex(), System.currentTimeMillis(), settings.intervalSeconds(),
                reader.read());
    }

    private void publish() {
        try {
            Publish publish = Builders.publish().topic(topic).qos(Qos.AT_MOST_ONCE).retain(false)
                    .payload(ByteBuffer.wrap(snapshot().encode())).build();
            Services.publishService().publish(publish);
            failureLogged = false;
        } catch (RuntimeException e) {
            // an exception would end the fixed-rate task for good; log once per failing streak and go on
            if (!failureLogged) {
                LOG.warning("cannot publish the broker metrics: " + e);
                failureLogged = true;
            }
        }
    }
}
