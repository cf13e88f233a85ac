package io.hivemqsuite.protocol.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Optional;

/**
 * The one rule of REST authentication across the suite's services: everything but health needs
 * {@code Authorization: Bearer <token>}. Each service keeps only the few lines that hook this into its HTTP
 * server, so the services cannot drift apart on what is open or how a token is compared.
 */
public final class ApiAuthentication {
    public static final String HEADER = "Authorization";
    private static final String PREFIX = "Bearer ";

    private ApiAuthentication() {
    }

    /** Health stays open: Marathon and the launcher must see a service come up before they hold its token. */
    public static boolean isOpen(String path) {
        return path.equals("/q/health") || path.startsWith("/q/health/");
    }

    /**
     * Why a request is refused, or empty when it may pass.
     *
     * @param authorizationHeader the request's {@code Authorization} header, may be null
     * @param accepted            the tokens this request may carry
     */
    public static Optional<String> refusal(String authorizationHeader, Collection<String> accepted) {
        if (authorizationHeader == null) {
            return Optional.of("missing Authorization: Bearer <token> header");
        }
        if (!authorizationHeader.startsWith(PREFIX)) {
            return Optional.of("the Authorization header must be 'Bearer <token>'");
        }
        byte[] presented = authorizationHeader.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String token : accepted) {
            // every token compared in constant time: the timing must not reveal how much of a token was right
            match |= token != null && !token.isEmpty()
                    && MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8));
        }
        return match ? Optional.empty() : Optional.of("invalid bearer token");
    }

    /** The 401 body, in the suite's error shape {@code {"message", "field"}}. */
    public static String refusalBody(String reason) {
        return "{\"message\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"field\":\"" + HEADER + "\"}";
    }
}
