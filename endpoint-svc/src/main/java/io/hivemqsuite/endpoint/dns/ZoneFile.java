package io.hivemqsuite.endpoint.dns;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.protocol.endpoint.DnsZone;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One service's zone as a file, {@code <home>/dns/<service>.json}, with the pid of the endpoint service that owns
 * it: the DNS server answers for a zone only while that process lives, so a killed service's names disappear even
 * though nobody removed its file.
 */
public record ZoneFile(long ownerPid, DnsZone zone) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static Path path(Path dnsDir, String serviceDnsName) {
        return dnsDir.resolve(serviceDnsName + ".json");
    }

    public boolean ownerAlive() {
        return ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Written to a temporary file and moved into place, so the DNS server never reads half a zone. */
    public void write(Path dnsDir) throws IOException {
        Files.createDirectories(dnsDir);
        Path target = path(dnsDir, zone.service());
        Path temp = Files.createTempFile(dnsDir, "." + zone.service() + "-", ".tmp");
        try {
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static ZoneFile read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ZoneFile.class);
    }
}
