package io.hivemqsuite.archive;

import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches an extension archive for add-extension: http and https always, {@code file:} only when the operator
 * allows it (it reads the local disk of whoever fetches). The size is capped while reading, so a huge or endless
 * answer is cut off, not buffered. Refusals name the URL (or SHA256) parameter.
 *
 * @param allowFileUrls whether {@code file:} URLs are accepted
 * @param maxBytes      the largest archive accepted
 */
public record ArchiveFetcher(boolean allowFileUrls, long maxBytes) {
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    public byte[] fetch(String url) {
        String field = SidecarPlans.URL;
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new PlanRequestException(field, "URL is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                return fetchHttp(uri);
            }
            case "file" -> {
                if (!allowFileUrls) {
                    throw new PlanRequestException(field, "URL scheme 'file' is not allowed here (the operator "
                            + "did not allow file URLs); use http or https");
                }
                return fetchFile(uri);
            }
            default -> throw new PlanRequestException(field, "URL scheme '" + scheme + "' is not allowed; use http"
                    + " or https" + (allowFileUrls ? " or file" : ""));
        }
    }

    private byte[] fetchHttp(URI uri) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new PlanRequestException(SidecarPlans.URL, "URL " + uri + " answered HTTP "
                            + response.statusCode() + " instead of the archive");
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw tooLarge(declared);
                }
                return readCapped(body);
            }
        } catch (IOException e) {
            throw new PlanRequestException(SidecarPlans.URL, "URL " + uri + " is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlanRequestException(SidecarPlans.URL, "fetching URL " + uri + " was interrupted");
        } catch (IllegalArgumentException e) {
            if (e instanceof PlanRequestException p) {
                throw p;
            }
            throw new PlanRequestException(SidecarPlans.URL, "URL " + uri + " cannot be fetched: " + e.getMessage());
        }
    }

    private byte[] fetchFile(URI uri) {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new PlanRequestException(SidecarPlans.URL, "URL " + uri + " is not a usable file URL: "
                    + e.getMessage());
        }
        if (!Files.isRegularFile(path)) {
            throw new PlanRequestException(SidecarPlans.URL, "URL " + uri + " is unreachable: no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return readCapped(in);
        } catch (IOException e) {
            throw new PlanRequestException(SidecarPlans.URL, "URL " + uri + " cannot be read: " + e.getMessage());
        }
    }

    private byte[] readCapped(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw tooLarge(-1);
        }
        return bytes;
    }

    private PlanRequestException tooLarge(long size) {
        return new PlanRequestException(SidecarPlans.URL, "the archive is too large: "
                + (size >= 0 ? size + " bytes" : "more than " + maxBytes + " bytes") + "; the limit is " + maxBytes
                + " bytes");
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses bytes whose checksum is not the pinned one. */
    public static void verify(byte[] bytes, String expectedSha256) {
        if (expectedSha256 == null || expectedSha256.isBlank()) {
            return;
        }
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(expectedSha256.trim())) {
            throw new PlanRequestException(SidecarPlans.SHA256, "checksum mismatch: the archive's SHA-256 is "
                    + actual + " but SHA256 pins " + expectedSha256.trim());
        }
    }

}
