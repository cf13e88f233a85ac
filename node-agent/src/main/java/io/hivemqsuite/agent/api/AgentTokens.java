package io.hivemqsuite.agent.api;

import io.hivemqsuite.agent.config.InternalSecret;
import io.hivemqsuite.servicekit.auth.AcceptedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;

/**
 * The agent's API takes the internal credential, never the operator's token: its callers are the suite's own
 * services. Without a readable credential every call is refused.
 */
@ApplicationScoped
public class AgentTokens implements AcceptedTokens {

    @Inject
    InternalSecret secret;

    @Override
    public Collection<String> accepted(String path) {
        return secret.value().map(List::of).orElse(List.of());
    }
}
