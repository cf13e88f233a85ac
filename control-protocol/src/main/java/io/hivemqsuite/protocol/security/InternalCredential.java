package io.hivemqsuite.protocol.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret the suite's internal MQTT clients prove themselves with. It is generated once at install,
 * kept in the state store, and handed to each node agent in a file only that agent reads. The broker
 * extension only ever sees its SHA-256, so a leaked extension folder does not leak the secret.
 */
public final class InternalCredential {
    /** The MQTT user name of every internal client. An outside client using it needs the secret too. */
    public static final String USERNAME = "hivemq-suite-internal";

    private static final SecureRandom RANDOM = new SecureRandom();

    private InternalCredential() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String sha256(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Compares in constant time so that response timing does not reveal the hash. */
    public static boolean matches(byte[] presentedPassword, String expectedSha256) {
        String presented = sha256(new String(presentedPassword, StandardCharsets.UTF_8));
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                expectedSha256.getBytes(StandardCharsets.US_ASCII));
    }
}
