package io.hivemqsuite.metrics.settings;

import io.hivemqsuite.servicekit.settings.SuiteSecrets;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the launcher tells metrics-svc (system properties, see README), and the StatsD collector from the environment. */
@ApplicationScoped
public class MetricsSettings {
    @Inject
    SuiteSettings suite;
    @Inject
    MetricsConfig own;
    @Inject
    StatsdConfig statsd;
    @Inject
    SuiteSecrets secrets;

    public String schedulerUrl() {
        return suite.schedulerUrlOrSlotDefault();
    }

    /** The suite services whose own series metrics-svc re-exports, by source name (see SuiteServices). */
    public Map<String, String> suiteServiceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("scheduler", schedulerUrl());
        urls.put("sidecar", suite.sidecarUrlOrSlotDefault());
        urls.put("endpoint", suite.endpointUrlOrSlotDefault());
        return urls;
    }

    public long serviceTimeoutMs() {
        return Math.max(100, own.serviceTimeoutMs());
    }

    public String nodeAddress(int index) {
        return suite.nodeAddress(index);
    }

    public int staleAfterIntervals() {
        return Math.max(2, own.staleAfterIntervals());
    }

    public Optional<String> statsdHost() {
        return statsd.host().filter(s -> !s.isBlank());
    }

    /** Empty when unset; a port that is not 1..65535 is refused at start (see StatsdPusher). */
    public Optional<String> statsdPort() {
        return statsd.port().filter(s -> !s.isBlank());
    }

    /** The REST API bearer token (also what Prometheus presents on /metrics). */
    public String token() {
        return secrets.token();
    }

    /** The internal secret: the MQTT password towards the brokers' control topics. */
    public String credential() {
        return secrets.credential();
    }
}
