package io.hivemqsuite.endpoint.auth;

import io.hivemqsuite.endpoint.settings.EndpointSettings;
import io.hivemqsuite.servicekit.auth.AcceptedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;

/** Every path of the endpoint service's API takes the operator's API token only. */
@ApplicationScoped
public class EndpointTokens implements AcceptedTokens {

    @Inject
    EndpointSettings settings;

    @Override
    public Collection<String> accepted(String path) {
        return List.of(settings.apiToken());
    }
}
