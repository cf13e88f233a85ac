package io.hivemqsuite.protocol.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the node agent tells the suite's broker extension, in {@code suite.properties} inside the extension's
 * folder: the agent writes it before it starts the broker, the extension reads it once at start.
 *
 * @param serviceDnsName          the service's DNS name, the second level of its control topics
 * @param internalCredentialSha256 the SHA-256 (hex) of the internal clients' secret; never the secret itself
 * @param anonymousAllowed        whether outside clients connect without credentials (evaluation mode)
 */
public record ExtensionSettings(String serviceDnsName, String internalCredentialSha256, boolean anonymousAllowed) {
    /** The extension's id, which is also its folder name under {@code extensions/}. */
    public static final String EXTENSION_ID = "hivemq-suite-extension";
    public static final String FILE_NAME = "suite.properties";

    private static final String SERVICE = "service.dns-name";
    private static final String CREDENTIAL = "internal.credential.sha256";
    private static final String ANONYMOUS = "anonymous.allowed";

    public ExtensionSettings {
        if (serviceDnsName == null || serviceDnsName.isBlank()) {
            throw new IllegalArgumentException(SERVICE + " must not be empty");
        }
        if (internalCredentialSha256 == null || !internalCredentialSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(CREDENTIAL + " must be 64 lower-case hex digits");
        }
    }

    public static ExtensionSettings read(Path extensionFolder) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(extensionFolder.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + extensionFolder.resolve(FILE_NAME), e);
        }
        return new ExtensionSettings(properties.getProperty(SERVICE), properties.getProperty(CREDENTIAL),
                Boolean.parseBoolean(properties.getProperty(ANONYMOUS, "true")));
    }

    /** Written to a temporary file and renamed, so a starting broker never reads half a file. */
    public void write(Path extensionFolder) {
        Properties properties = new Properties();
        properties.setProperty(SERVICE, serviceDnsName);
        properties.setProperty(CREDENTIAL, internalCredentialSha256);
        properties.setProperty(ANONYMOUS, Boolean.toString(anonymousAllowed));
        Path target = extensionFolder.resolve(FILE_NAME);
        Path tmp = extensionFolder.resolve(FILE_NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            properties.store(out, "written by the node agent; read by the broker extension at start");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
