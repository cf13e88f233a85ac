package io.hivemqsuite.agent.home;

import io.hivemqsuite.protocol.rbac.RbacFiles;
import io.hivemqsuite.protocol.routing.LinkSecret;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.security.ExtensionSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Installs the suite's broker extension into a HiveMQ home. CE scans extensions once at start, so this runs
 * before every broker start the agent makes; the folder is replaced whole, never merged with an older copy.
 */
public final class ExtensionInstaller {
    private ExtensionInstaller() {
    }

    /** Unpacks {@code zip} (one folder named {@link ExtensionSettings#EXTENSION_ID}) and writes its settings. */
    public static Path install(Path zip, Path extensionsDir, ExtensionSettings settings) {
        return install(zip, extensionsDir, settings, null, null);
    }

    /**
     * As {@link #install(Path, Path, ExtensionSettings)}, plus the router's files when {@code settings} routes:
     * the peer table and the internal secret for the outbound links (0600, {@link LinkSecret}).
     */
    public static Path install(Path zip, Path extensionsDir, ExtensionSettings settings, String linkSecret,
                               PeerTable peers) {
        return install(zip, extensionsDir, settings, linkSecret, peers, null);
    }

    /** As above, plus the users and roles ({@code rbac/}) when {@code settings.rbacEnabled()}. */
    public static Path install(Path zip, Path extensionsDir, ExtensionSettings settings, String linkSecret,
                               PeerTable peers, RbacFiles users) {
        if (settings.rbacEnabled() && users == null) {
            throw new IllegalArgumentException("users and roles are on but no credentials were given");
        }
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("broker extension " + zip + " is missing: build broker-extension first");
        }
        String id = ExtensionSettings.EXTENSION_ID;
        Path staging = extensionsDir.resolve("." + id + ".new");
        Path target = extensionsDir.resolve(id);
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging);
            unzip(zip, staging);
            Path unpacked = staging.resolve(id);
            if (!Files.isRegularFile(unpacked.resolve("hivemq-extension.xml"))) {
                throw new IllegalStateException(zip + " holds no " + id + "/hivemq-extension.xml");
            }
            settings.write(unpacked);
            if (settings.routing().enabled()) {
                LinkSecret.write(unpacked, linkSecret);
                peers.write(unpacked);
            }
            if (settings.rbacEnabled()) {
                users.write(unpacked);
            }
            deleteRecursively(target);
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(staging);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + zip + " into " + extensionsDir, e);
        }
    }

    /**
     * Replaces the users and roles of an installed extension; the running extension reads them within a second and
     * applies them to the next CONNECT (no broker restart).
     *
     * @throws IllegalStateException when the installed extension runs without users and roles (switching them on or
     *                               off changes suite.properties, which the extension reads at start only)
     */
    public static void updateUsers(Path extensionsDir, RbacFiles users) {
        Path folder = extensionsDir.resolve(ExtensionSettings.EXTENSION_ID);
        boolean on;
        try {
            on = ExtensionSettings.read(folder).rbacEnabled();
        } catch (RuntimeException e) {
            throw new IllegalStateException("no installed broker extension in " + folder + ": " + e.getMessage());
        }
        if (!on) {
            throw new IllegalStateException("users and roles are off on this node (mqtt.auth.enable_rbac is false);"
                    + " switching them on needs a broker restart");
        }
        users.write(folder);
    }

    /** Replaces the peer table of an installed extension; the running extension picks it up within seconds. */
    public static void updatePeers(Path extensionsDir, PeerTable peers) {
        peers.write(extensionsDir.resolve(ExtensionSettings.EXTENSION_ID));
    }

    static void unzip(Path zip, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path out = root.resolve(entry.getName()).normalize();
                // a crafted "../" entry must not write outside the extensions folder (zip slip)
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new IllegalStateException("refusing " + zip + ": entry '" + entry.getName()
                            + "' escapes the extension folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(new NonClosing(in), out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Files.copy must not close the zip stream after the first entry. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
