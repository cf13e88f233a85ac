package io.hivemqsuite.protocol.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceAccountTokenTest {
    private static final KeyPair ACCOUNT = keyPair();
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    Path dir;

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTokenSignedWithTheAccountsKeyVerifiesWithItsPublicKeyThroughPem() {
        String jwt = ServiceAccountToken.sign("svc-1", ServiceAccountToken.privateKey(ServiceAccountToken.pem(ACCOUNT.getPrivate())),
                NOW.plusSeconds(300));
        String[] parts = jwt.split("\\.");
        assertEquals("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", new String(Base64.getUrlDecoder().decode(parts[0])));
        assertEquals("{\"uid\":\"svc-1\",\"exp\":" + NOW.plusSeconds(300).getEpochSecond() + "}",
                new String(Base64.getUrlDecoder().decode(parts[1])));
        ServiceAccountToken.Claims claims = ServiceAccountToken.verify(jwt, "svc-1",
                ServiceAccountToken.publicKey(ServiceAccountToken.pem(ACCOUNT.getPublic())), NOW);
        assertEquals(new ServiceAccountToken.Claims("svc-1", NOW.plusSeconds(300)), claims);
    }

    @Test
    void aTokenIsRefusedForAnotherKeyAnotherUidOrAfterItsExpiry() {
        String jwt = ServiceAccountToken.sign("svc-1", ACCOUNT.getPrivate(), NOW.plusSeconds(300));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceAccountToken.verify(jwt, "svc-1",
                keyPair().getPublic(), NOW)).getMessage().contains("signature does not verify"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceAccountToken.verify(jwt, "svc-2",
                ACCOUNT.getPublic(), NOW)).getMessage().contains("uid \"svc-1\" is not svc-2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceAccountToken.verify(jwt, "svc-1",
                ACCOUNT.getPublic(), NOW.plusSeconds(300))).getMessage().contains("expired"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceAccountToken.verify("abc", "svc-1",
                ACCOUNT.getPublic(), NOW)).getMessage().contains("not a JWT"));
    }

    @Test
    void anUnusableSecretIsRefusedNamingTheOption() throws Exception {
        String master = "http://127.0.0.1:5050";
        assertTrue(ServiceAccountLogin.of("svc", "", master).isEmpty(), "no secret: no login");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ServiceAccountLogin.of("svc", dir.resolve("missing.pem").toString(), master));
        assertTrue(missing.getMessage().startsWith("service.service_account_secret: neither a PEM private key"),
                missing.getMessage());
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException rsa = assertThrows(IllegalArgumentException.class,
                () -> ServiceAccountLogin.of("svc", pkcs1.toString(), master));
        assertTrue(rsa.getMessage().startsWith("service.service_account_secret: no PEM block")
                && rsa.getMessage().contains("pkcs8"), rsa.getMessage());
        IllegalArgumentException noAccount = assertThrows(IllegalArgumentException.class,
                () -> ServiceAccountLogin.of("", ServiceAccountToken.pem(ACCOUNT.getPrivate()), master));
        assertTrue(noAccount.getMessage().startsWith("service.service_account: required"), noAccount.getMessage());
    }

    @Test
    void aDcosCredentialGivesTheUidAndTheLoginEndpoint() throws Exception {
        String credential = "{\"scheme\":\"RS256\",\"uid\":\"from-credential\",\"login_endpoint\":"
                + "\"https://leader.mesos/acs/api/v1/auth/login\",\"private_key\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(ServiceAccountToken.pem(ACCOUNT.getPrivate())) + "}";
        Path file = Files.writeString(dir.resolve("credential.json"), credential);
        ServiceAccountLogin login = ServiceAccountLogin.of("", file.toString(), "http://127.0.0.1:5050").orElseThrow();
        assertEquals("from-credential", login.uid());
    }
}
