package io.hivemqsuite.endpoint.settings;

import io.hivemqsuite.servicekit.settings.SuiteLocations;
import io.hivemqsuite.servicekit.settings.SuiteSecrets;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class SettingsProducer {
    @Produces
    @Singleton
    EndpointSettings settings(SuiteSettings suite, EndpointConfig own, SuiteLocations locations, SuiteSecrets secrets) {
        return EndpointSettings.of(suite, own, locations, secrets);
    }
}
