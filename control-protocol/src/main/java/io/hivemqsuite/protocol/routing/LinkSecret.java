package io.hivemqsuite.protocol.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The internal secret itself, for the router's outbound links: a broker checks incoming internal clients against
 * the SHA-256 in {@code suite.properties}, but to connect to a peer it must present the secret. Kept apart from
 * the settings in {@code link.secret}, mode 0600 from its creation on, so only the broker's user can read it.
 */
public final class LinkSecret {
    public static final String FILE_NAME = "link.secret";

    private LinkSecret() {
    }

    public static void write(Path extensionFolder, String secret) {
        Path target = extensionFolder.resolve(FILE_NAME);
        Path tmp = extensionFolder.resolve(FILE_NAME + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Created 0600: never readable by others, not even for the moment before a chmod.
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, secret, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Empty when the agent wrote none (routing off). Never log the value. */
    public static Optional<String> read(Path extensionFolder) {
        Path file = extensionFolder.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
            return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
