package io.hivemqsuite.scheduler.api.auth;

import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.hivemqsuite.scheduler.settings.SchedulerSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * Every request but health needs the API token ({@link ApiAuthentication}). A Vert.x filter rather than a JAX-RS
 * one, because {@code /q/metrics} and {@code /q/openapi} are not JAX-RS resources and must be protected too.
 */
@ApplicationScoped
public class BearerTokenFilter {

    @Inject
    SchedulerSettings settings;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            Optional<String> refusal = ApiAuthentication.isOpen(rc.normalizedPath()) ? Optional.empty()
                    : ApiAuthentication.refusal(rc.request().getHeader(ApiAuthentication.HEADER), List.of(settings.token()));
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
