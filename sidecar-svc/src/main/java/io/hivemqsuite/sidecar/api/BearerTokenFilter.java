package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.hivemqsuite.sidecar.settings.SidecarSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * Every request but health needs {@code Authorization: Bearer <token>} (the API token). {@code GET /v1/changes}
 * also accepts the internal credential: node agents read it before their broker's first start, and they hold that
 * secret, not the operator's token. A Vert.x filter so that /q/metrics and /q/openapi are covered too.
 */
@ApplicationScoped
public class BearerTokenFilter {

    @Inject
    SidecarSettings settings;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            List<String> accepted = path.equals("/v1/changes")
                    ? List.of(settings.token(), settings.credential()) : List.of(settings.token());
            Optional<String> refusal = ApiAuthentication.isOpen(path) ? Optional.empty()
                    : ApiAuthentication.refusal(rc.request().getHeader(ApiAuthentication.HEADER), accepted);
            if (refusal.isEmpty()) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(401)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(ApiAuthentication.refusalBody(refusal.get()));
        }, 100);
    }
}
