package io.hivemqsuite.metrics.lifecycle;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The service's own meters share the scrape with the cluster's series, so they must pass {@code promtool check
 * metrics} too: Micrometer's processor meters are named {@code process_cpu_time_ns_total} ("abbreviated unit") and
 * {@code system_cpu_count} ("_count" on a gauge), whichever binder registers them; {@code process_cpu_usage} stays.
 */
@Singleton
public class OwnMeters {
    @Produces
    @Singleton
    MeterFilter lintCleanNames() {
        return MeterFilter.deny(id -> id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count"));
    }
}
