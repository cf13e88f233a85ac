package io.hivemqsuite.scheduler.settings;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the launcher tells the scheduler, as system properties (see README). Read once; a missing required
 * setting fails the start with its name.
 */
@ApplicationScoped
public class SchedulerSettings {
    @ConfigProperty(name = "suite.service-name")
    String serviceName;
    @ConfigProperty(name = "suite.service-dir")
    String serviceDir;
    @ConfigProperty(name = "suite.slot")
    int slot;
    @ConfigProperty(name = "suite.spec-file")
    Optional<String> specFile;
    /** The options JSON itself, instead of a file (the Universe package's Marathon app sets SUITE_OPTIONS). */
    @ConfigProperty(name = "suite.options")
    Optional<String> options;
    @ConfigProperty(name = "suite.token-file")
    String tokenFile;
    @ConfigProperty(name = "suite.credential-file")
    Optional<String> credentialFile;
    @ConfigProperty(name = "suite.zookeeper.connect")
    Optional<String> zookeeperConnect;
    @ConfigProperty(name = "suite.zookeeper.port", defaultValue = "2181")
    int zookeeperPort;
    @ConfigProperty(name = "suite.node.start-timeout", defaultValue = "180s")
    Duration nodeStartTimeout;
    @ConfigProperty(name = "suite.node.max-launch-failures", defaultValue = "3")
    int maxLaunchFailures;

    private volatile String token;

    public String serviceName() {
        return serviceName;
    }

    /** The service's folder name: also its ZooKeeper node name. */
    public String servicePathName() {
        return serviceName.replace("/", "");
    }

    public LocalLayout layout() {
        Path dir = Path.of(serviceDir).toAbsolutePath().normalize();
        return new LocalLayout(dir.getParent(), dir.getFileName().toString(), slot);
    }

    public LocalDistribution distribution() {
        return LocalDistribution.fromEnvironment();
    }

    public Optional<Path> specFile() {
        return specFile.map(Path::of);
    }

    public Optional<String> options() {
        return options.filter(s -> !s.isBlank());
    }

    public Optional<Path> credentialFile() {
        return credentialFile.map(Path::of);
    }

    public Optional<String> zookeeperConnect() {
        return zookeeperConnect.filter(s -> !s.isBlank());
    }

    public int zookeeperPort() {
        return zookeeperPort;
    }

    public Duration nodeStartTimeout() {
        return nodeStartTimeout;
    }

    public int maxLaunchFailures() {
        return maxLaunchFailures;
    }

    /** The API bearer token. Read lazily and kept, so a deleted token file does not lock the operator out. */
    public String token() {
        String t = token;
        if (t == null) {
            try {
                t = Files.readString(Path.of(tokenFile)).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the API token from suite.token-file " + tokenFile, e);
            }
            if (t.isEmpty()) {
                throw new IllegalStateException("suite.token-file " + tokenFile + " is empty");
            }
            token = t;
        }
        return t;
    }
}
