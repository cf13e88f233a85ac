package io.hivemqsuite.protocol.rbac;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The password check of HiveMQ's File RBAC extension, so that a credentials file made for it (with its password
 * generator) works here unchanged. A hashed password is {@code <salt>:<iterations>:<hash>}: salt and hash in
 * base64; the hash is PBKDF2 with HMAC-SHA512 over the client's password bytes as sent in CONNECT and the
 * decoded salt bytes, 512 bits long.
 *
 * <p>PBKDF2 is computed here over raw bytes, not with the JDK's {@code PBKDF2WithHmacSHA512}: that one takes the
 * password as {@code char[]} and encodes it itself, while MQTT passwords are binary.
 */
public final class PasswordHash {
    private static final String HMAC = "HmacSHA512";
    private static final int KEY_BYTES = 64;

    private PasswordHash() {
    }

    /** Whether {@code password} (as the client sent it) matches the {@code stored} password of a user. */
    public static boolean matches(byte[] password, String stored, PasswordType type) {
        if (type == PasswordType.PLAIN) {
            // the extension compares the stored text with the password decoded as UTF-8 (malformed bytes replaced)
            byte[] sent = new String(password, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(sent, stored.getBytes(StandardCharsets.UTF_8));
        }
        String[] parts = stored.split(":");
        if (parts.length != 3) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[0]);
            int iterations = Integer.parseInt(parts[1]);
            byte[] expected = Base64.getDecoder().decode(parts[2]);
            if (iterations < 1) {
                return false;
            }
            // constant time: how far a guess matched must not show in the answer's timing
            return MessageDigest.isEqual(pbkdf2(password, salt, iterations), expected);
        } catch (IllegalArgumentException e) {
            // bad base64 or iteration count: the extension throws and the client is refused; so is it here
            return false;
        }
    }

    /** {@code <salt>:<iterations>:<hash>} for {@code password}: what the extension's password generator writes. */
    public static String hash(byte[] password, byte[] salt, int iterations) {
        Base64.Encoder b64 = Base64.getEncoder();
        return b64.encodeToString(salt) + ":" + iterations + ":" + b64.encodeToString(pbkdf2(password, salt, iterations));
    }

    /** PBKDF2 (RFC 8018, 5.2) with HMAC-SHA512; 64 bytes are exactly one block, so only T_1 is computed. */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            // HMAC pads a short key with zero bytes, so an empty password is the key {0}; SecretKeySpec refuses empty keys
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, HMAC));
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[]{0, 0, 0, 1});
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < KEY_BYTES; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every Java runtime", e);
        }
    }
}
