package io.hivemqsuite.endpoint.dns;

import io.hivemqsuite.protocol.endpoint.DnsZone;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every service's zone file under one folder, re-read when a file changes (by modification time and size), checked
 * at most every {@link #RECHECK_MILLIS} so a burst of queries costs one directory listing.
 */
public class ZoneDirectory {
    private static final Logger LOG = Logger.getLogger(ZoneDirectory.class);
    static final long RECHECK_MILLIS = 500;

    private final Path dir;
    private final Map<Path, Loaded> loaded = new HashMap<>();
    private long checkedAt;
    private List<DnsZone> live = List.of();

    private record Loaded(long modified, long size, ZoneFile file) {
    }

    public ZoneDirectory(Path dir) {
        this.dir = dir;
    }

    /** The zones whose owner process is alive. */
    public synchronized List<DnsZone> liveZones() {
        long now = System.currentTimeMillis();
        if (now - checkedAt >= RECHECK_MILLIS) {
            checkedAt = now;
            refresh();
        }
        return live;
    }

    private void refresh() {
        Map<Path, Loaded> seen = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".json") || name.startsWith(".")) {
                        continue;
                    }
                    load(file).ifPresent(l -> seen.put(file, l));
                }
            } catch (IOException e) {
                LOG.warnf("cannot list zone folder %s: %s", dir, e.getMessage());
            }
        }
        loaded.clear();
        loaded.putAll(seen);
        live = seen.values().stream().map(Loaded::file).filter(ZoneFile::ownerAlive).map(ZoneFile::zone).toList();
    }

    private java.util.Optional<Loaded> load(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long modified = attributes.lastModifiedTime().toMillis();
            Loaded previous = loaded.get(file);
            if (previous != null && previous.modified == modified && previous.size == attributes.size()) {
                return java.util.Optional.of(previous);
            }
            return java.util.Optional.of(new Loaded(modified, attributes.size(), ZoneFile.read(file)));
        } catch (IOException e) {
            // A file removed between listing and reading belongs to a service that just uninstalled.
            LOG.debugf("skipping zone file %s: %s", file, e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
