package io.hivemqsuite.metrics.api;

import io.hivemqsuite.metrics.settings.MetricsSettings;
import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * Every request but health needs {@code Authorization: Bearer <token>} (the API token), the scrape included: the
 * metrics name the service's clients and topics. A Vert.x filter so that /q/metrics is covered too.
 */
@ApplicationScoped
public class BearerTokenFilter {
    @Inject
    MetricsSettings settings;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            Optional<String> refusal = ApiAuthentication.isOpen(rc.normalizedPath()) ? Optional.empty()
                    : ApiAuthentication.refusal(rc.request().getHeader(ApiAuthentication.HEADER),
                    List.of(settings.token()));
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
