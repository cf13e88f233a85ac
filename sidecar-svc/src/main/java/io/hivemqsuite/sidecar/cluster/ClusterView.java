package io.hivemqsuite.sidecar.cluster;

import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service as sidecar plans need to see it: how many nodes, the service's DNS name (control topics) and the
 * MQTT port of the brokers. Read from the scheduler's target configuration, or from a spec file when given.
 */
public final class ClusterView {
    private final Optional<Path> specFile;
    private final String schedulerUrl;
    private final String token;

    public ClusterView(Optional<Path> specFile, String schedulerUrl, String token) {
        this.specFile = specFile;
        this.schedulerUrl = schedulerUrl;
        this.token = token;
    }

    public record Cluster(int nodeCount, String dnsName, int mqttPort) {
    }

    public Cluster current() {
        ServiceOptions options = specFile.isPresent() ? new OptionsReader().read(specFile.get()) : fromScheduler();
        int port = options.enabledListeners().stream().filter(l -> l.listener() == Listener.MQTT)
                .findFirst().map(ServiceOptions.ListenerEndpoint::port).orElse(1883);
        return new Cluster(options.node().count(), options.service().dnsName(), port);
    }

    private ServiceOptions fromScheduler() {
        try {
            InternalHttp.Response response = new InternalHttp(Duration.ofSeconds(3)).send("GET",
                    schedulerUrl + "/v1/configurations/target", Map.of("Authorization", "Bearer " + token), null,
                    Duration.ofSeconds(10));
            if (response.statusCode() != 200) {
                throw new ClusterUnavailable("the scheduler answered HTTP " + response.statusCode()
                        + " for its target configuration");
            }
            return new OptionsReader().read(response.body());
        } catch (IOException e) {
            throw new ClusterUnavailable("the scheduler at " + schedulerUrl + " cannot be reached: " + e.getMessage());
        }
    }

    /** The cluster cannot be seen right now: 503, try again. */
    public static final class ClusterUnavailable extends RuntimeException {
        public ClusterUnavailable(String message) {
            super(message);
        }
    }
}
