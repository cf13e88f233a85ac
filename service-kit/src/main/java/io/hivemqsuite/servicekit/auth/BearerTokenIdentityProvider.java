package io.hivemqsuite.servicekit.auth;

import io.hivemqsuite.protocol.security.ApiAuthentication;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/** Checks a presented {@code Authorization} header against the tokens the service accepts on the request's path. */
@ApplicationScoped
public class BearerTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    @Inject
    AcceptedTokens tokens;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String path = http == null ? "" : http.normalizedPath();
        Optional<String> refusal = ApiAuthentication.refusal(request.getToken().getToken(), tokens.accepted(path));
        if (refusal.isPresent()) {
            return Uni.createFrom().failure(new AuthenticationFailedException(refusal.get()));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("bearer")).build());
    }
}
