package io.hivemqsuite.extension.rbac;

import io.hivemqsuite.protocol.rbac.RbacConfigException;
import io.hivemqsuite.protocol.rbac.RbacCredentials;
import io.hivemqsuite.protocol.rbac.RbacExtensionConfig;
import io.hivemqsuite.protocol.rbac.RbacFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The users and roles this broker admits: {@code rbac/credentials.xml} and {@code rbac/extension-config.xml} in
 * the extension folder, written by the node agent ({@link RbacFiles}).
 *
 * <p>Checked every second, by content, not by modification time: the agent replaces the files by rename, so a
 * read sees a whole old or a whole new file, and a second changed within the file system's time granularity is
 * not missed. (The File RBAC extension checks every {@code credentials-reload-interval}, 60 s by default; a
 * user removed in an update should not keep connecting for a minute.) A changed file that does not read is
 * logged and the users before it stay, as in that extension; without any readable file nobody is admitted.
 * A change applies to the next CONNECT: connected clients keep the permissions they got, as in that extension.
 */
public final class UserStore {
    private static final Logger LOG = Logger.getLogger(UserStore.class.getName());
    private static final String NAME = RbacFiles.FOLDER + "/" + RbacFiles.CREDENTIALS_FILE;

    /** What a CONNECT is checked against; {@code credentials} empty when no valid file was ever read. */
    public record Users(Optional<RbacCredentials> credentials, RbacExtensionConfig config) {
    }

    private final Path folder;
    private volatile Users current = new Users(Optional.empty(), RbacExtensionConfig.DEFAULT);
    private byte[] lastCredentials;
    private byte[] lastConfig;

    public UserStore(Path extensionFolder) {
        this.folder = RbacFiles.folder(extensionFolder);
    }

    public Users current() {
        return current;
    }

    /** Reads the files now (before the first client may connect), then every second on {@code executor}. */
    public void start(ScheduledExecutorService executor) {
        reload();
        if (current.credentials().isEmpty()) {
            LOG.severe("users and roles are on but " + folder.resolve(RbacFiles.CREDENTIALS_FILE)
                    + " is missing or invalid: every outside client is refused until it is fixed");
        }
        executor.scheduleWithFixedDelay(this::reloadQuietly, 1, 1, TimeUnit.SECONDS);
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: the check must survive anything
            LOG.warning("checking " + NAME + " failed: " + e);
        }
    }

    /** Synchronized: the executor's runs and a test's direct call never interleave. */
    synchronized void reload() {
        byte[] credentials = read(RbacFiles.CREDENTIALS_FILE);
        byte[] config = read(RbacFiles.EXTENSION_CONFIG_FILE);
        if (Arrays.equals(credentials, lastCredentials) && Arrays.equals(config, lastConfig)) {
            return;
        }
        lastCredentials = credentials;
        lastConfig = config;
        if (credentials == null) {
            LOG.warning(NAME + " is gone; the users read before stay");
            return;
        }
        try {
            RbacExtensionConfig extensionConfig = config == null ? RbacExtensionConfig.DEFAULT
                    : RbacExtensionConfig.parse(config, RbacFiles.FOLDER + "/" + RbacFiles.EXTENSION_CONFIG_FILE);
            RbacCredentials users = RbacCredentials.parse(credentials, extensionConfig.passwordType(), NAME);
            current = new Users(Optional.of(users), extensionConfig);
            LOG.info("users and roles read: " + users.users().size() + " users, " + users.roles().size() + " roles, "
                    + extensionConfig.passwordType().name().toLowerCase() + " passwords");
        } catch (RbacConfigException e) {
            LOG.warning("users and roles not changed: " + e.getMessage());
        }
    }

    private byte[] read(String file) {
        try {
            return Files.readAllBytes(folder.resolve(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warning("cannot read " + folder.resolve(file) + ": " + e.getMessage());
            return lastFor(file);
        }
    }

    /** An unreadable file (a transient I/O error) counts as unchanged. */
    private byte[] lastFor(String file) {
        return RbacFiles.CREDENTIALS_FILE.equals(file) ? lastCredentials : lastConfig;
    }
}
