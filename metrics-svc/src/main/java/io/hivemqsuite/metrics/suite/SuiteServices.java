package io.hivemqsuite.metrics.suite;

import io.hivemqsuite.metrics.settings.MetricsSettings;
import io.hivemqsuite.protocol.http.InternalHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the suite services' own {@code /q/metrics} (API token as bearer) at each scrape, in parallel, for the series
 * only they can measure: plan steps (scheduler-svc, sidecar-svc), control command round trips (sidecar-svc, the
 * sender) and VIP connections (endpoint-svc).
 *
 * <p>Why scrape them rather than have them publish on the control topic or have metrics-svc poll the plans API: the
 * control buses are per node and the scheduler and endpoint-svc hold no MQTT connection; the plans API has no
 * durations and no failure history. Each service keeps its meters in Micrometer as every Quarkus service does, and
 * metrics-svc only relabels ({@code service_name}); a service that is down or slow costs at most
 * {@code suite.metrics.service-timeout-ms} and its series are absent, never frozen (and
 * {@code hivemq_suite_metrics_source_up} says so).
 */
@ApplicationScoped
public class SuiteServices {
    private static final Logger LOG = Logger.getLogger(SuiteServices.class);

    @Inject
    MetricsSettings settings;

    private final InternalHttp http = new InternalHttp(Duration.ofSeconds(1));
    private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();

    /** Every source, in a fixed order; a source that did not answer has no text. */
    public List<ServiceScrape> scrape() {
        Map<String, CompletableFuture<String>> pending = new LinkedHashMap<>();
        settings.suiteServiceUrls().forEach((source, url) -> pending.put(source, fetch(url)));
        return pending.entrySet().stream().map(e -> new ServiceScrape(e.getKey(), e.getValue().join()))
                .peek(this::logChange).toList();
    }

    private CompletableFuture<String> fetch(String baseUrl) {
        return http.sendAsync("GET", baseUrl + "/q/metrics", Map.of("Authorization", "Bearer " + settings.token(),
                        // the classic text format, as metrics-svc serves it: OpenMetrics would add _created samples
                        // and # EOF
                        "Accept", "text/plain; version=0.0.4"), null, Duration.ofMillis(settings.serviceTimeoutMs()))
                .thenApply(r -> r.statusCode() == 200 ? r.body() : null)
                .exceptionally(e -> null);
    }

    /** One line when a source goes away or comes back, not one per scrape. */
    private void logChange(ServiceScrape s) {
        Boolean before = lastUp.put(s.source(), s.up());
        if (before != null && before != s.up()) {
            LOG.infof("suite service %s %s", s.source(), s.up() ? "answers again" : "does not answer its /q/metrics");
        }
    }
}
