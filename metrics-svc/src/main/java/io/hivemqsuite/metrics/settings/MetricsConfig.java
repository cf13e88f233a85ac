package io.hivemqsuite.metrics.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** metrics-svc's own {@code suite.metrics.*} keys; the shared ones are service-kit's {@code SuiteSettings}. */
@ConfigMapping(prefix = "suite.metrics")
public interface MetricsConfig {

    /** {@code suite.metrics.stale-after-intervals}: a node whose last snapshot is older is stale. */
    @WithDefault("3")
    int staleAfterIntervals();

    /** {@code suite.metrics.service-timeout-ms}: how long a scrape waits for a suite service's /q/metrics. */
    @WithDefault("2000")
    long serviceTimeoutMs();
}
