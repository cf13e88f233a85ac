package io.hivemqsuite.metrics.api;

import io.hivemqsuite.metrics.settings.MetricsSettings;
import io.hivemqsuite.servicekit.auth.AcceptedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;

/** The API token on every path, the scrape included: the metrics name the service's clients and topics. */
@ApplicationScoped
public class MetricsTokens implements AcceptedTokens {

    @Inject
    MetricsSettings settings;

    @Override
    public Collection<String> accepted(String path) {
        return List.of(settings.token());
    }
}
