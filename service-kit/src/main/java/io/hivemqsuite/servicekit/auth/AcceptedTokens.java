package io.hivemqsuite.servicekit.auth;

import java.util.Collection;

/**
 * Which bearer tokens a service accepts on a path: the one thing the services differ in. Without a bean of its own
 * a service takes the API token on every path ({@link ApiTokenOnly}); {@link BearerTokenMechanism} does the rest.
 */
public interface AcceptedTokens {

    /** The tokens a request to {@code path} may carry; an empty collection refuses every token. */
    Collection<String> accepted(String path);
}
