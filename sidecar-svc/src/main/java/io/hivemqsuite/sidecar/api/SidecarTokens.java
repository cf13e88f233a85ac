package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.servicekit.auth.AcceptedTokens;
import io.hivemqsuite.sidecar.settings.SidecarSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;

/**
 * The API token everywhere; {@code GET /v1/changes} also takes the internal credential: node agents read it before
 * their broker's first start, and they hold that secret, not the operator's token.
 */
@ApplicationScoped
public class SidecarTokens implements AcceptedTokens {

    @Inject
    SidecarSettings settings;

    @Override
    public Collection<String> accepted(String path) {
        return path.equals("/v1/changes") ? List.of(settings.token(), settings.credential())
                : List.of(settings.token());
    }
}
