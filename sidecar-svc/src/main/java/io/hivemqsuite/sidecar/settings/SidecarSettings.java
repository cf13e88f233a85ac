package io.hivemqsuite.sidecar.settings;

import io.hivemqsuite.archive.ArchiveFetcher;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.servicekit.settings.SuiteSecrets;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.Optional;

/** What the launcher tells sidecar-svc, as system properties (see README): service-kit's shared {@code suite.*} keys. */
@ApplicationScoped
public class SidecarSettings {
    @Inject
    SuiteSettings suite;
    @Inject
    SuiteSecrets secrets;

    public int slot() {
        return suite.requiredSlot();
    }

    public Optional<Path> serviceDir() {
        return suite.serviceDir().map(Path::of);
    }

    public String zookeeperConnect() {
        return suite.zookeeper().connect().filter(s -> !s.isBlank()).orElse("127.0." + slot() + ".200:2181");
    }

    public String schedulerUrl() {
        return suite.schedulerUrlOrSlotDefault();
    }

    /** Instead of asking the scheduler: the completed options JSON (for running alone and for tests). */
    public Optional<Path> specFile() {
        return suite.specFile().filter(s -> !s.isBlank()).map(Path::of);
    }

    public String nodeAddress(int index) {
        return suite.nodeAddress(index);
    }

    public ArchiveFetcher fetcher() {
        return new ArchiveFetcher(suite.allowFileUrls(), suite.maxArchiveBytes());
    }

    public long maxUnpackedBytes() {
        return suite.maxArchiveBytes() * 10;
    }

    /** The REST API bearer token. */
    public String token() {
        return secrets.token();
    }

    /** The internal secret: MQTT password towards the brokers, and the node agents' bearer for GET /v1/changes. */
    public String credential() {
        return secrets.credential();
    }
}
