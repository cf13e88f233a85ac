package io.hivemqsuite.agent.api;

import io.hivemqsuite.agent.config.InternalSecret;
import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Optional;

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
            Optional<String> refusal = ApiAuthentication.isOpen(ctx.normalizedPath()) ? Optional.empty()
                    : secret.refusal(ctx.request().getHeader(ApiAuthentication.HEADER));
            if (refusal.isEmpty()) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("Content-Type", "application/json")
                    .end(ApiAuthentication.refusalBody(refusal.get()));
        });
    }
}
