package io.hivemqsuite.scheduler.settings;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.servicekit.settings.SuiteSecrets;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the launcher tells the scheduler, as system properties (see README): the shared keys from service-kit's
 * {@link SuiteSettings}, the scheduler's own from {@link SchedulerConfig}. A missing required setting fails with
 * its name.
 */
@ApplicationScoped
public class SchedulerSettings {
    @Inject
    SuiteSettings suite;
    @Inject
    SchedulerConfig own;
    @Inject
    SuiteSecrets secrets;

    public LocalLayout layout() {
        Path dir = Path.of(SuiteSettings.required(suite.serviceDir(), "suite.service-dir")).toAbsolutePath().normalize();
        return new LocalLayout(dir.getParent(), dir.getFileName().toString(), suite.requiredSlot(),
                suite.nodeNamespaces());
    }

    public LocalDistribution distribution() {
        return LocalDistribution.fromEnvironment();
    }

    public Optional<Path> specFile() {
        return suite.specFile().map(Path::of);
    }

    public Optional<String> options() {
        return own.options().filter(s -> !s.isBlank());
    }

    public Optional<Path> credentialFile() {
        return suite.credentialFile().map(Path::of);
    }

    public Optional<String> zookeeperConnect() {
        return suite.zookeeper().connect().filter(s -> !s.isBlank());
    }

    public int zookeeperPort() {
        return own.zookeeper().port();
    }

    public Duration nodeStartTimeout() {
        return own.node().startTimeout();
    }

    public int maxLaunchFailures() {
        return own.node().maxLaunchFailures();
    }

    /** The API bearer token, read once (see {@link SuiteSecrets}). */
    public String token() {
        return secrets.token();
    }
}
