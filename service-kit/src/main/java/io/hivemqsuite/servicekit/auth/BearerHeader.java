package io.hivemqsuite.servicekit.auth;

import io.quarkus.security.credential.TokenCredential;

/** The request's {@code Authorization} header as presented, for {@link BearerTokenIdentityProvider} to judge. */
final class BearerHeader extends TokenCredential {
    BearerHeader(String header) {
        super(header, "bearer");
    }
}
