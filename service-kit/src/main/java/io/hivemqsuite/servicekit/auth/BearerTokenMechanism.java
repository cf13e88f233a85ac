package io.hivemqsuite.servicekit.auth;

import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * The suite's REST authentication on Quarkus Security: every path but health needs {@code Authorization: Bearer
 * <token>} ({@link ApiAuthentication} holds the rule, {@link AcceptedTokens} which tokens). Authentication is
 * proactive, so the Vert.x routes that are not JAX-RS ({@code /q/metrics}, {@code /q/openapi}) are covered too.
 * A refusal answers 401 with {@code WWW-Authenticate: Bearer} and the suite's error body naming the header.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {
    private static final ChallengeData CHALLENGE = new ChallengeData(401, "WWW-Authenticate", "Bearer");

    @Inject
    AcceptedTokens tokens;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (ApiAuthentication.isOpen(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        String header = context.request().getHeader(ApiAuthentication.HEADER);
        if (header == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("no Authorization header"));
        }
        // the whole header travels as the credential: ApiAuthentication judges its form and its token in one place
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new BearerHeader(header));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identities.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    /** Writes the refusal itself so the body can say what was wrong with the header. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            String reason = ApiAuthentication.refusal(context.request().getHeader(ApiAuthentication.HEADER),
                    tokens.accepted(context.normalizedPath())).orElse("invalid bearer token");
            context.response().setStatusCode(401)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(ApiAuthentication.refusalBody(reason));
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
