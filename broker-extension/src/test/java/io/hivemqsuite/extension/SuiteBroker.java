package io.hivemqsuite.extension;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real HiveMQ CE broker in this JVM with the packaged extension zip unpacked into its extensions folder,
 * exactly as the node agent installs it. Each broker gets its own throw-away home, so runs never share state.
 *
 * <p>The tests deliberately do not use control-protocol's classes (they are off the test class path, see the pom):
 * the settings file and topic names are written out literally, which also pins the contract the node agent relies on.
 */
final class SuiteBroker implements AutoCloseable {
    /** Loopback address of its own: other engineers' brokers run on 127.0.1.x and 127.0.2.x. */
    static final String HOST = "127.0.77.1";
    static final String SECRET = "test-secret-0123456789";
    static final String INTERNAL_USER = "hivemq-suite-internal";
    static final String EXTENSION_ID = "hivemq-suite-extension";

    final int port;
    final Path home;
    private final EmbeddedHiveMQ hivemq;

    private SuiteBroker(int port, Path home, EmbeddedHiveMQ hivemq) {
        this.port = port;
        this.home = home;
        this.hivemq = hivemq;
    }

    static String validSettings(boolean anonymousAllowed) {
        return "service.dns-name=hivemq\n"
                + "internal.credential.sha256=" + sha256(SECRET) + "\n"
                + "anonymous.allowed=" + anonymousAllowed + "\n";
    }

    /** @param settings the content of suite.properties, or null to leave the file out */
    static SuiteBroker start(int port, String settings) throws Exception {
        return start(port, settings, java.util.Map.of());
    }

    /** @param extensionFiles more files for the extension folder (path relative to it, content), as the agent writes them */
    static SuiteBroker start(int port, String settings, java.util.Map<String, byte[]> extensionFiles) throws Exception {
        Path home = Files.createTempDirectory("suite-broker-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        // Usage statistics off: nothing may leave loopback.
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener><port>%d</port><bind-address>%s</bind-address></tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST));
        unzip(extensionZip(), extensions);
        if (settings != null) {
            Files.writeString(extensions.resolve(EXTENSION_ID).resolve("suite.properties"), settings);
        }
        for (java.util.Map.Entry<String, byte[]> file : extensionFiles.entrySet()) {
            Path target = extensions.resolve(EXTENSION_ID).resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .build();
        // The embedded broker switches to "allow all clients" when no security extension runs; the standalone
        // HiveMQServer the node agent starts refuses them. Restore the standalone behaviour, or a broker whose
        // extension failed to start would look open here and closed in production.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            hivemq.close();
            deleteTree(home);
            throw e;
        }
        return new SuiteBroker(port, home, hivemq);
    }

    static Path extensionZip() {
        return Path.of(System.getProperty("extension.zip", "target/" + EXTENSION_ID + ".zip"));
    }

    @Override
    public void close() throws Exception {
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } finally {
            deleteTree(home);
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void unzip(Path zip, Path target) throws IOException {
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry escapes target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
