package io.hivemqsuite.protocol.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * The login token of a DC/OS service account: an RS256 JWT {@code {"uid": ..., "exp": ...}} signed with the
 * account's private key, which the IAM ({@code POST /acs/api/v1/auth/login} with {@code {"uid", "token"}}) checks
 * against the public key it holds for the account. The scheduler signs ({@link #sign}); the Mesos master double
 * verifies ({@link #verify}): one implementation, so both sides agree on the format.
 */
public final class ServiceAccountToken {
    /** Where DC/OS's IAM takes service-account logins (behind Admin Router, on the masters). */
    public static final String LOGIN_PATH = "/acs/api/v1/auth/login";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
    private static final String HEADER = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    /** What a verified token says. */
    public record Claims(String uid, Instant expires) {
    }

    private ServiceAccountToken() {
    }

    public static String sign(String uid, PrivateKey key, Instant expires) {
        ObjectNode claims = JSON.createObjectNode().put("uid", uid).put("exp", expires.getEpochSecond());
        String signingInput = HEADER + "." + URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException saying why the token is not a valid login of {@code uid} at {@code now}
     */
    public static Claims verify(String jwt, String uid, PublicKey key, Instant now) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT (header.claims.signature)");
        }
        JsonNode header = decode(parts[0], "header");
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new IllegalArgumentException("alg " + header.path("alg") + " is not RS256");
        }
        boolean signed;
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            signed = rs256.verify(URL_DECODER.decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            signed = false;
        }
        if (!signed) {
            throw new IllegalArgumentException("the signature does not verify with the public key of " + uid);
        }
        JsonNode claims = decode(parts[1], "claims");
        if (!uid.equals(claims.path("uid").asText())) {
            throw new IllegalArgumentException("the token's uid " + claims.path("uid") + " is not " + uid);
        }
        if (!claims.path("exp").canConvertToLong()) {
            throw new IllegalArgumentException("the token has no exp");
        }
        Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (!expires.isAfter(now)) {
            throw new IllegalArgumentException("the token expired at " + expires);
        }
        return new Claims(uid, expires);
    }

    private static JsonNode decode(String part, String what) {
        try {
            return JSON.readTree(URL_DECODER.decode(part));
        } catch (Exception e) {
            throw new IllegalArgumentException("the JWT's " + what + " is not base64url JSON");
        }
    }

    /** An RSA private key in PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}), as {@code dcos security org service-accounts keypair} writes it. */
    public static PrivateKey privateKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key: " + e.getMessage(), e);
        }
    }

    /** An RSA public key in PEM ({@code BEGIN PUBLIC KEY}). */
    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key: " + e.getMessage(), e);
        }
    }

    /** PEM text of a key, for writing a key pair in tests and tools. */
    public static String pem(java.security.Key key) {
        String kind = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END " + kind + "-----\n";
    }

    private static byte[] der(String pem, String kind) {
        String begin = "-----BEGIN " + kind + "-----";
        String end = "-----END " + kind + "-----";
        int from = pem == null ? -1 : pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("no PEM block '" + begin + "'"
                    + (pem != null && pem.contains("RSA " + kind) ? " (PKCS#1 'RSA " + kind + "' is not read: convert it"
                    + " with openssl pkcs8 -topk8 -nocrypt)" : ""));
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block '" + begin + "' is not base64");
        }
    }
}
