package io.hivemqsuite.agent.config;

import io.hivemqsuite.agent.sidecar.SidecarSettings;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.servicekit.settings.SuiteLocations;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** The agent's settings from service-kit's shared keys and {@link AgentConfig}. */
@ApplicationScoped
public class AgentSettingsProducer {

    @Inject
    SuiteSettings suite;

    @Inject
    AgentConfig own;

    @Inject
    SuiteLocations locations;

    @Produces
    @Singleton
    AgentSettings settings() {
        int nodeIndex = own.node().index();
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("suite.node.index: must be 0 or more but is " + nodeIndex);
        }
        LocalDistribution distribution = locations.dist()
                .map(d -> new LocalDistribution(Path.of(d).toAbsolutePath().normalize()))
                .orElseGet(LocalDistribution::fromEnvironment);
        return new AgentSettings(nodeIndex, own.node().address(),
                Path.of(own.node().dir()).toAbsolutePath().normalize(),
                Path.of(SuiteSettings.required(suite.specFile(), "suite.spec-file")).toAbsolutePath(),
                Path.of(SuiteSettings.required(suite.credentialFile(), "suite.credential-file")).toAbsolutePath(),
                distribution,
                own.brokerExtensionZip().map(Path::of).orElse(distribution.brokerExtensionZip()),
                own.broker().java().map(Path::of).orElse(AgentSettings.currentJava()));
    }

    @Produces
    @Singleton
    SidecarSettings sidecarSettings(AgentSettings settings) {
        return SidecarSettings.of(suite.allowFileUrls(), suite.maxArchiveBytes(), suite.sidecarUrl(), settings.address());
    }
}
