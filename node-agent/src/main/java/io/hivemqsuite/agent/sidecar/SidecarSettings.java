package io.hivemqsuite.agent.sidecar;

import io.hivemqsuite.archive.ArchiveFetcher;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

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

    public static SidecarSettings fromConfig(String nodeAddress) {
        Config config = ConfigProvider.getConfig();
        boolean allowFile = config.getOptionalValue("suite.allow-file-urls", Boolean.class).orElse(false);
        long max = config.getOptionalValue("suite.max-archive-bytes", Long.class).orElse(ArchiveFetcher.DEFAULT_MAX_BYTES);
        Optional<String> url = config.getOptionalValue("suite.sidecar-url", String.class);
        return new SidecarSettings(allowFile, max, url.orElseGet(() -> defaultSidecarUrl(nodeAddress)), url.isPresent());
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
