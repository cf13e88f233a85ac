package io.hivemqsuite.protocol.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The login of a DC/OS service account, as the scheduler makes it (and install tries it first): an RS256 JWT
 * {@code {"uid", "exp"}} signed with the account's private key goes to the IAM's login endpoint, whose
 * {@code {"token": ...}} the scheduler then sends as
 * {@code Authorization: token=...} on every call to the master; a call answered 401 logs in again
 * ({@link #refresh}).
 * <p>
 * {@code service.service_account_secret} holds the private key: PEM text (PKCS#8), a DC/OS service-account
 * credential JSON ({@code {"uid", "private_key", "login_endpoint"}}, what the DC/OS secret store hands a service),
 * or the path of a file holding either. The login endpoint is the credential's, else {@code /acs/api/v1/auth/login}
 * on the master's host.
 */
public final class ServiceAccountLogin {
    private static final String FIELD = "service.service_account_secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short: the JWT only has to reach the IAM; the token it buys lives longer. */
    private static final Duration JWT_LIFETIME = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String uid;
    private final PrivateKey key;
    private final URI loginUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private String token;

    private ServiceAccountLogin(String uid, PrivateKey key, URI loginUrl) {
        this.uid = uid;
        this.key = key;
        this.loginUrl = loginUrl;
    }

    /**
     * @return empty without a secret (no login: an open master)
     * @throws IllegalArgumentException naming the option when the secret or the account is unusable
     */
    public static Optional<ServiceAccountLogin> of(String account, String secret, String masterUrl) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String text = secret.strip();
        if (!text.startsWith("-----BEGIN") && !text.startsWith("{")) {
            Path file = Path.of(text);
            try {
                text = Files.readString(file).strip();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(FIELD + ": neither a PEM private key, a service-account credential"
                        + " JSON, nor a readable file holding one (" + text + ": " + e.getMessage() + ")");
            }
        }
        String uid = account;
        String pem = text;
        URI login = URI.create(masterUrl).resolve(ServiceAccountToken.LOGIN_PATH);
        if (text.startsWith("{")) {
            JsonNode credential;
            try {
                credential = JSON.readTree(text);
            } catch (IOException e) {
                throw new IllegalArgumentException(FIELD + ": the service-account credential is not JSON: " + e.getMessage());
            }
            pem = credential.path("private_key").asText("");
            if (!credential.path("uid").asText("").isBlank()) {
                uid = credential.path("uid").asText();
            }
            if (!credential.path("login_endpoint").asText("").isBlank()) {
                login = URI.create(credential.path("login_endpoint").asText());
            }
        }
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("service.service_account: required with " + FIELD
                    + " (the uid the scheduler logs in as)");
        }
        try {
            return Optional.of(new ServiceAccountLogin(uid, ServiceAccountToken.privateKey(pem), login));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FIELD + ": " + e.getMessage());
        }
    }

    /** The current token, logging in first if there is none. */
    public synchronized String token() {
        if (token == null) {
            token = login();
        }
        return token;
    }

    /** The master refused {@code stale} (401: expired or revoked): the next {@link #token()} logs in again. */
    public synchronized void refresh(String stale) {
        if (stale != null && stale.equals(token)) {
            token = null;
        }
    }

    public String uid() {
        return uid;
    }

    /** @throws IllegalStateException naming the option, the account and the IAM's answer when it refuses */
    private String login() {
        String jwt = ServiceAccountToken.sign(uid, key, Instant.now().plus(JWT_LIFETIME));
        String body = JSON.createObjectNode().put("uid", uid).put("token", jwt).toString();
        HttpRequest request = HttpRequest.newBuilder(loginUrl).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("service account login at " + loginUrl + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while logging in at " + loginUrl, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(FIELD + ": the login of service account '" + uid + "' at " + loginUrl
                    + " was refused (HTTP " + response.statusCode() + ": " + response.body().strip()
                    + "); is the secret the private key of that account?");
        }
        try {
            String issued = JSON.readTree(response.body()).path("token").asText("");
            if (issued.isBlank()) {
                throw new IllegalStateException("the login at " + loginUrl + " answered no token: " + response.body());
            }
            return issued;
        } catch (IOException e) {
            throw new IllegalStateException("the login at " + loginUrl + " answered no JSON: " + response.body(), e);
        }
    }
}
