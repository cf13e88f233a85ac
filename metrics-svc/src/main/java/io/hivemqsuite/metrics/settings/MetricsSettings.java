package io.hivemqsuite.metrics.settings;

import io.hivemqsuite.protocol.dist.LocalLayout;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the launcher tells metrics-svc (system properties, see README), and the StatsD collector from the environment. */
@ApplicationScoped
public class MetricsSettings {
    @ConfigProperty(name = "suite.service-name")
    String serviceName;
    @ConfigProperty(name = "suite.slot")
    int slot;
    @ConfigProperty(name = "suite.token-file")
    String tokenFile;
    @ConfigProperty(name = "suite.credential-file")
    String credentialFile;
    @ConfigProperty(name = "suite.scheduler-url")
    Optional<String> schedulerUrl;
    @ConfigProperty(name = "suite.endpoint-url")
    Optional<String> endpointUrl;
    @ConfigProperty(name = "suite.sidecar-url")
    Optional<String> sidecarUrl;
    /** How long a scrape waits for a suite service's /q/metrics before leaving its series out. */
    @ConfigProperty(name = "suite.metrics.service-timeout-ms", defaultValue = "2000")
    long serviceTimeoutMs;
    /** A node whose last snapshot is older than this many of its intervals is stale. */
    @ConfigProperty(name = "suite.metrics.stale-after-intervals", defaultValue = "3")
    int staleAfterIntervals;
    /** {@code STATSD_UDP_HOST} / {@code STATSD_UDP_PORT}, the names DC/OS gives every task. */
    @ConfigProperty(name = "statsd.udp.host")
    Optional<String> statsdHost;
    @ConfigProperty(name = "statsd.udp.port")
    Optional<String> statsdPort;

    private volatile String token;
    private volatile String credential;

    public String serviceName() {
        return serviceName;
    }

    public int slot() {
        return slot;
    }

    public String schedulerUrl() {
        return schedulerUrl.filter(s -> !s.isBlank())
                .orElse("http://127.0." + slot + "." + LocalLayout.SCHEDULER_HOST + ":" + LocalLayout.SCHEDULER_PORT);
    }

    /** The suite services whose own series metrics-svc re-exports, by source name (see SuiteServices). */
    public Map<String, String> suiteServiceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("scheduler", schedulerUrl());
        urls.put("sidecar", sidecarUrl.filter(s -> !s.isBlank())
                .orElse("http://127.0." + slot + "." + LocalLayout.SIDECAR_HOST + ":" + LocalLayout.SIDECAR_PORT));
        urls.put("endpoint", endpointUrl.filter(s -> !s.isBlank())
                .orElse("http://127.0." + slot + "." + LocalLayout.ENDPOINT_HOST + ":" + LocalLayout.ENDPOINT_PORT));
        return urls;
    }

    public long serviceTimeoutMs() {
        return Math.max(100, serviceTimeoutMs);
    }

    public String nodeAddress(int index) {
        return LocalLayout.nodeAddress(slot, index);
    }

    public int staleAfterIntervals() {
        return Math.max(2, staleAfterIntervals);
    }

    public Optional<String> statsdHost() {
        return statsdHost.filter(s -> !s.isBlank());
    }

    /** Empty when unset; a port that is not 1..65535 is refused at start (see StatsdPusher). */
    public Optional<String> statsdPort() {
        return statsdPort.filter(s -> !s.isBlank());
    }

    /** The REST API bearer token (also what Prometheus presents on /metrics). */
    public String token() {
        if (token == null) {
            token = readSecret(tokenFile, "suite.token-file");
        }
        return token;
    }

    /** The internal secret: the MQTT password towards the brokers' control topics. */
    public String credential() {
        if (credential == null) {
            credential = readSecret(credentialFile, "suite.credential-file");
        }
        return credential;
    }

    private static String readSecret(String file, String setting) {
        try {
            String value = Files.readString(Path.of(file)).trim();
            if (value.isEmpty()) {
                throw new IllegalStateException(setting + ": " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(setting + ": cannot read " + file, e);
        }
    }
}
