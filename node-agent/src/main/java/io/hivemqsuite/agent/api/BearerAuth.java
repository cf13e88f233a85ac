package io.hivemqsuite.agent.api;

import io.hivemqsuite.agent.config.InternalSecret;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Every HTTP route but health needs {@code Authorization: Bearer <internal credential>}. Installed on the
 * Vert.x router rather than as a JAX-RS filter so that /q/metrics and /q/openapi are covered too.
 */
@Singleton
public class BearerAuth {

    @Inject
    InternalSecret secret;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 100).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path.equals("/q/health") || path.startsWith("/q/health/")
                    || secret.authorizes(ctx.request().getHeader("Authorization"))) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"missing or wrong bearer token: send Authorization: Bearer <internal credential>\"}");
        });
    }
}
