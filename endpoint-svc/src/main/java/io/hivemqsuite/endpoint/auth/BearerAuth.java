package io.hivemqsuite.endpoint.auth;

import io.hivemqsuite.endpoint.settings.EndpointSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every request but health needs the API token. A Vert.x filter rather than a JAX-RS one, because
 * {@code /q/metrics} and {@code /q/openapi} are not JAX-RS resources and must be protected too.
 */
@ApplicationScoped
public class BearerAuth {
    private static final String PREFIX = "Bearer ";

    void register(@Observes Filters filters, EndpointSettings settings) {
        byte[] expected = settings.apiToken().getBytes(StandardCharsets.UTF_8);
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (path.equals("/q/health") || path.startsWith("/q/health/")) {
                rc.next();
                return;
            }
            String header = rc.request().getHeader("Authorization");
            if (header != null && header.startsWith(PREFIX)
                    && MessageDigest.isEqual(expected, header.substring(PREFIX.length()).trim()
                    .getBytes(StandardCharsets.UTF_8))) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(401)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end("{\"message\":\"missing or wrong bearer token (Authorization: Bearer <token>)\"}");
        }, 1000);
    }
}
