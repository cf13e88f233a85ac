package io.hivemqsuite.scheduler.api.auth;

import io.hivemqsuite.scheduler.settings.SchedulerSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every request but health needs {@code Authorization: Bearer <token>}. A Vert.x filter rather than a JAX-RS one,
 * because {@code /q/metrics} and {@code /q/openapi} are not JAX-RS resources and must be protected too.
 */
@ApplicationScoped
public class BearerTokenFilter {
    private static final String PREFIX = "Bearer ";

    @Inject
    SchedulerSettings settings;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (path.equals("/q/health") || path.startsWith("/q/health/")) {
                rc.next();
                return;
            }
            String header = rc.request().getHeader("Authorization");
            if (header != null && header.startsWith(PREFIX) && matches(header.substring(PREFIX.length()).trim())) {
                rc.next();
                return;
            }
            String reason = header == null ? "missing Authorization: Bearer <token> header"
                    : "invalid bearer token";
            rc.response().setStatusCode(401)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(new JsonObject().put("message", reason).put("field", "Authorization").encode());
        }, 100);
    }

    private boolean matches(String presented) {
        // Constant time: the answer's timing must not reveal how much of the token was right.
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                settings.token().getBytes(StandardCharsets.UTF_8));
    }
}
