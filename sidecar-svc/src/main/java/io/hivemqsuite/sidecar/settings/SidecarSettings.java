package io.hivemqsuite.sidecar.settings;

import io.hivemqsuite.archive.ArchiveFetcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the launcher tells sidecar-svc, as system properties (see README). */
@ApplicationScoped
public class SidecarSettings {
    @ConfigProperty(name = "suite.service-name")
    String serviceName;
    @ConfigProperty(name = "suite.service-dir")
    Optional<String> serviceDir;
    @ConfigProperty(name = "suite.slot")
    int slot;
    @ConfigProperty(name = "suite.token-file")
    String tokenFile;
    @ConfigProperty(name = "suite.credential-file")
    String credentialFile;
    @ConfigProperty(name = "suite.zookeeper.connect")
    Optional<String> zookeeperConnect;
    @ConfigProperty(name = "suite.scheduler-url")
    Optional<String> schedulerUrl;
    /** Instead of asking the scheduler: the completed options JSON (for running alone and for tests). */
    @ConfigProperty(name = "suite.spec-file")
    Optional<String> specFile;
    @ConfigProperty(name = "suite.allow-file-urls", defaultValue = "false")
    boolean allowFileUrls;
    @ConfigProperty(name = "suite.max-archive-bytes", defaultValue = "" + ArchiveFetcher.DEFAULT_MAX_BYTES)
    long maxArchiveBytes;

    private volatile String token;
    private volatile String credential;

    public String serviceName() {
        return serviceName;
    }

    /** The service's path name (folders removed): also its ZooKeeper node name, as the scheduler's. */
    public String servicePathName() {
        return serviceName.replace("/", "");
    }

    public int slot() {
        return slot;
    }

    public Optional<Path> serviceDir() {
        return serviceDir.map(Path::of);
    }

    public String zookeeperConnect() {
        return zookeeperConnect.filter(s -> !s.isBlank()).orElse("127.0." + slot + ".200:2181");
    }

    public String schedulerUrl() {
        return schedulerUrl.filter(s -> !s.isBlank()).orElse("http://127.0." + slot + ".200:8080");
    }

    public Optional<Path> specFile() {
        return specFile.filter(s -> !s.isBlank()).map(Path::of);
    }

    public String nodeAddress(int index) {
        return "127.0." + slot + "." + (index + 1);
    }

    public ArchiveFetcher fetcher() {
        return new ArchiveFetcher(allowFileUrls, maxArchiveBytes);
    }

    public long maxUnpackedBytes() {
        return maxArchiveBytes * 10;
    }

    /** The REST API bearer token. */
    public String token() {
        if (token == null) {
            token = readSecret(tokenFile, "suite.token-file");
        }
        return token;
    }

    /** The internal secret: MQTT password towards the brokers, and the node agents' bearer for GET /v1/changes. */
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
