package io.hivemqsuite.mesosdouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hivemqsuite.protocol.security.ServiceAccountToken;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of DC/OS's IAM a framework meets: {@code POST /acs/api/v1/auth/login} with {@code {"uid", "token"}}
 * (an RS256 JWT signed with the account's private key) answers {@code {"token": ...}}, which every scheduler call
 * must then carry as {@code Authorization: token=...}. Only once an account is registered: without one the double
 * is an open master, as Mesos without authentication.
 */
final class ServiceAccounts implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Issued(String uid, Instant expires) {
    }

    private final Map<String, PublicKey> accounts = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final Duration tokenLifetime;
    private final MesosMasterDouble master;

    ServiceAccounts(MesosMasterDouble master, Duration tokenLifetime) {
        this.master = master;
        this.tokenLifetime = tokenLifetime;
    }

    void add(String uid, String publicKeyPem) {
        accounts.put(uid, ServiceAccountToken.publicKey(publicKeyPem));
    }

    boolean required() {
        return !accounts.isEmpty();
    }

    int logins() {
        return logins.get();
    }

    /** Every token issued so far stops working, as when they expire or an operator revokes them. */
    int revokeAll() {
        int count = tokens.size();
        tokens.clear();
        return count;
    }

    /**
     * @return the uid the call is authenticated as, or empty with no account registered
     * @throws IllegalArgumentException why the call is not authenticated (answered 401)
     */
    Optional<String> authenticate(String authorization) {
        if (!required()) {
            return Optional.empty();
        }
        if (authorization == null || !authorization.startsWith("token=")) {
            throw new IllegalArgumentException("Missing 'Authorization: token=...' (this master requires a service-account login)");
        }
        Issued issued = tokens.get(authorization.substring("token=".length()));
        if (issued == null) {
            throw new IllegalArgumentException("Unknown or revoked authentication token");
        }
        if (!issued.expires().isAfter(Instant.now())) {
            throw new IllegalArgumentException("Authentication token expired at " + issued.expires());
        }
        return Optional.of(issued.uid());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            SchedulerHttp.answer(exchange, 405, "text/plain", "use POST");
            return;
        }
        String uid = "";
        try {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            uid = body.path("uid").asText();
            PublicKey key = accounts.get(uid);
            if (key == null) {
                throw new IllegalArgumentException("no service account with uid '" + uid + "'");
            }
            ServiceAccountToken.verify(body.path("token").asText(null), uid, key, Instant.now());
            String token = UUID.randomUUID().toString();
            tokens.put(token, new Issued(uid, Instant.now().plus(tokenLifetime)));
            logins.incrementAndGet();
            SchedulerHttp.answer(exchange, 200, "application/json", JSON.createObjectNode().put("token", token).toString());
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IllegalArgumentException ? e.getMessage() : "the body is not JSON";
            master.refuse("LOGIN of '" + uid + "': HTTP 401 " + why);
            SchedulerHttp.answer(exchange, 401, "application/json", JSON.createObjectNode()
                    .put("title", "Unauthorized").put("description", "login of '" + uid + "' refused: " + why)
                    .toString());
        }
    }
}
