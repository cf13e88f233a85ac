package io.hivemqsuite.endpoint.auth;

import io.hivemqsuite.endpoint.settings.EndpointSettings;
import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Optional;

/**
 * Every request but health needs the API token. A Vert.x filter rather than a JAX-RS one, because
 * {@code /q/metrics} and {@code /q/openapi} are not JAX-RS resources and must be protected too.
 */
@ApplicationScoped
public class BearerAuth {

    void register(@Observes Filters filters, EndpointSettings settings) {
        List<String> accepted = List.of(settings.apiToken());
        filters.register(rc -> {
            Optional<String> refusal = ApiAuthentication.isOpen(rc.normalizedPath()) ? Optional.empty()
                    : ApiAuthentication.refusal(rc.request().getHeader(ApiAuthentication.HEADER), accepted);
            if (refusal.isEmpty()) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(401)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(ApiAuthentication.refusalBody(refusal.get()));
        }, 1000);
    }
}
