package io.hivemqsuite.extension.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Kind;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot.Sample;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reduces the broker's Dropwizard registry to plain samples, keeping HiveMQ's names:
 * <ul>
 *   <li>a Meter counts events and only grows: a counter (its count);</li>
 *   <li>a Dropwizard Counter or numeric Gauge: HiveMQ CE uses both for totals ({@code ...publish.count} is a
 *       Counter, {@code ...bytes.read.total} a Gauge) and for current values that go down
 *       ({@code ...connections.current}); the name tells which: {@code .count}/{@code .total} are counters,
 *       everything else a gauge (non-numeric gauges are left out);</li>
 *   <li>a Histogram or Timer: its count as a counter ({@code <name>.count}) and its mean as a gauge
 *       ({@code <name>.mean}, Timers in seconds); quantiles of a decaying reservoir do not add up across nodes.</li>
 * </ul>
 * Only {@code com.hivemq.*} metrics are read; the JVM's heap and CPU are added under HiveMQ's JVM names when the
 * broker does not register them itself.
 */
final class RegistryReader {
    static final String PREFIX = "com.hivemq.";
    static final String HEAP_USED = "com.hivemq.jvm.memory.heap.used";
    static final String HEAP_MAX = "com.hivemq.jvm.memory.heap.max";
    static final String CPU_SECONDS = "com.hivemq.jvm.process.cpu.seconds.total";
    static final String CPU_LOAD = "com.hivemq.jvm.process.cpu.load";

    private final MetricRegistry registry;

    RegistryReader(MetricRegistry registry) {
        this.registry = registry;
    }

    List<Sample> read() {
        List<Sample> samples = new ArrayList<>(128);
        for (Map.Entry<String, Metric> entry : registry.getMetrics().entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(PREFIX) && io.hivemqsuite.protocol.metrics.MetricsSnapshot.validName(name)) {
                add(samples, name, entry.getValue());
            }
        }
        addJvm(samples);
        return samples;
    }

    private static void add(List<Sample> samples, String name, Metric metric) {
        if (metric instanceof Meter meter) {
            samples.add(new Sample(name, Kind.COUNTER, meter.getCount()));
        } else if (metric instanceof Counter counter) {
            samples.add(new Sample(name, counterKind(name), counter.getCount()));
        } else if (metric instanceof Timer timer) {
            samples.add(new Sample(name + ".count", Kind.COUNTER, timer.getCount()));
            samples.add(new Sample(name + ".mean", Kind.GAUGE, finite(timer.getSnapshot().getMean() / 1e9)));
        } else if (metric instanceof Histogram histogram) {
            samples.add(new Sample(name + ".count", Kind.COUNTER, histogram.getCount()));
            samples.add(new Sample(name + ".mean", Kind.GAUGE, finite(histogram.getSnapshot().getMean())));
        } else if (metric instanceof Gauge<?> gauge) {
            Object value;
            try {
                value = gauge.getValue();
            } catch (RuntimeException e) {
                return; // a gauge whose source is gone (e.g. during shutdown) is simply not reported
            }
            if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                samples.add(new Sample(name, counterKind(name), number.doubleValue()));
            }
        }
    }

    static Kind counterKind(String name) {
        return name.endsWith(".count") || name.endsWith(".total") ? Kind.COUNTER : Kind.GAUGE;
    }

    private void addJvm(List<Sample> samples) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        addIfAbsent(samples, HEAP_USED, Kind.GAUGE, heap.getUsed());
        addIfAbsent(samples, HEAP_MAX, Kind.GAUGE, heap.getMax());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            addIfAbsent(samples, CPU_SECONDS, Kind.COUNTER, os.getProcessCpuTime() / 1e9);
            double load = os.getProcessCpuLoad();
            if (load >= 0) {
                addIfAbsent(samples, CPU_LOAD, Kind.GAUGE, load);
            }
        }
    }

    private void addIfAbsent(List<Sample> samples, String name, Kind kind, double value) {
        if (!registry.getMetrics().containsKey(name) && Double.isFinite(value)) {
            samples.add(new Sample(name, kind, value));
        }
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
