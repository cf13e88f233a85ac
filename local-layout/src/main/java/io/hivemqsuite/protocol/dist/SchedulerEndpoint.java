package io.hivemqsuite.protocol.dist;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * How a client reaches a local-mode scheduler: kept in {@code scheduler.json} (mode 0600) next to the
 * service's state, so the CLI and tests find a running service by name.
 *
 * @param service the service name as installed
 * @param url     the scheduler's base URL
 * @param token   the bearer token every API call but health must carry
 * @param pid     the scheduler process id
 * @param slot    the loopback slot of the service (see {@link LocalLayout})
 * @param nodeNamespaces whether its nodes run in network namespaces (absent in files of earlier versions: false)
 */
public record SchedulerEndpoint(String service, String url, String token, long pid, int slot, boolean nodeNamespaces) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SchedulerEndpoint(String service, String url, String token, long pid, int slot) {
        this(service, url, token, pid, slot, false);
    }

    public static SchedulerEndpoint read(Path file) {
        try {
            return JSON.readValue(file.toFile(), SchedulerEndpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Written to a temporary file and renamed, so a reader never sees half a file. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
