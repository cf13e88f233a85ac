package io.hivemqsuite.extension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One real HiveMQ CE broker process ({@link BrokerProcess}) on {@link #HOST} with the packaged extension zip unpacked
 * into its extensions folder, exactly as the node agent installs it. Each broker gets its own throw-away home, so runs
 * never share state.
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
    private final BrokerProcess process;

    private SuiteBroker(BrokerProcess process) {
        this.port = process.port;
        this.home = process.home;
        this.process = process;
    }

    static String validSettings(boolean anonymousAllowed) {
        return "service.dns-name=hivemq\n"
                + "internal.credential.sha256=" + sha256(SECRET) + "\n"
                + "anonymous.allowed=" + anonymousAllowed + "\n";
    }

    /** @param settings the content of suite.properties, or null to leave the file out */
    static SuiteBroker start(int port, String settings) throws Exception {
        return start(port, settings, Map.of());
    }

    /**
     * Returns once the broker has logged its start, which it does after its extensions have started (or failed to):
     * a client connecting then meets the extension's decision, not a broker still loading it.
     *
     * @param extensionFiles more files for the extension folder (path relative to it, content), as the agent writes them
     */
    static SuiteBroker start(int port, String settings, Map<String, byte[]> extensionFiles) throws Exception {
        BrokerProcess process = BrokerProcess.install(0, HOST, port, settings, extensionFiles);
        try {
            process.start().awaitStarted();
        } catch (Exception e) {
            process.close();
            throw e;
        }
        return new SuiteBroker(process);
    }

    static Path extensionZip() {
        return Path.of(System.getProperty("extension.zip", "target/" + EXTENSION_ID + ".zip"));
    }

    @Override
    public void close() throws Exception {
        process.close();
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
}
