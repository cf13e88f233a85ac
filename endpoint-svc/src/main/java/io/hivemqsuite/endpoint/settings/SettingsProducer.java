package io.hivemqsuite.endpoint.settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;

@ApplicationScoped
public class SettingsProducer {
    @Produces
    @Singleton
    EndpointSettings settings() {
        return EndpointSettings.from(ConfigProvider.getConfig());
    }
}
