package io.hivemqsuite.agent.sidecar;

import io.hivemqsuite.archive.ArchiveFetcher;

import java.util.Optional;

/**
 * The agent's sidecar settings, all optional: {@code suite.allow-file-urls} (default false),
 * {@code suite.max-archive-bytes} (default 50 MiB), {@code suite.sidecar-url} (default
 * {@code http://127.0.<slot>.202:8080}, derived from the node address). A URL given explicitly (the scheduler's local
 * backend does) says sidecar-svc is part of the suite: a new node then waits for its change log even while
 * sidecar-svc restarts; with the derived default, nothing listening means no sidecar-svc and nothing to catch up.
 *
 * @param sidecarRequired whether {@code suite.sidecar-url} was given explicitly
 */
public record SidecarSettings(boolean allowFileUrls, long maxArchiveBytes, String sidecarUrl, boolean sidecarRequired) {

    public static SidecarSettings of(boolean allowFileUrls, long maxArchiveBytes, Optional<String> sidecarUrl,
                                     String nodeAddress) {
        return new SidecarSettings(allowFileUrls, maxArchiveBytes,
                sidecarUrl.orElseGet(() -> defaultSidecarUrl(nodeAddress)), sidecarUrl.isPresent());
    }

    static String defaultSidecarUrl(String nodeAddress) {
        String[] octets = nodeAddress.split("\\.");
        if (octets.length != 4) {
            return "";
        }
        return "http://" + octets[0] + "." + octets[1] + "." + octets[2] + ".202:8080";
    }

    public ArchiveFetcher fetcher() {
        return new ArchiveFetcher(allowFileUrls, maxArchiveBytes);
    }

    /** Unpacked, an archive may be larger than packed; a cap still stops a zip bomb. */
    public long maxUnpackedBytes() {
        return maxArchiveBytes * 10;
    }
}
