package io.hivemqsuite.agent.config;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Optional;

@ApplicationScoped
public class AgentSettingsProducer {

    @ConfigProperty(name = "suite.node.index")
    int nodeIndex;

    @ConfigProperty(name = "suite.node.address")
    String address;

    @ConfigProperty(name = "suite.node.dir")
    String nodeDir;

    @ConfigProperty(name = "suite.spec-file")
    String specFile;

    @ConfigProperty(name = "suite.credential-file")
    String credentialFile;

    @ConfigProperty(name = "hivemq.suite.dist")
    Optional<String> dist;

    /** Only for tests and hand-made setups: a broker extension other than the distribution's. */
    @ConfigProperty(name = "suite.broker-extension-zip")
    Optional<String> extensionZip;

    @ConfigProperty(name = "suite.broker.java")
    Optional<String> java;

    @Produces
    @jakarta.inject.Singleton
    AgentSettings settings() {
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("suite.node.index: must be 0 or more but is " + nodeIndex);
        }
        LocalDistribution distribution = dist.map(d -> new LocalDistribution(Path.of(d).toAbsolutePath().normalize()))
                .orElseGet(LocalDistribution::fromEnvironment);
        return new AgentSettings(nodeIndex, address,
                Path.of(nodeDir).toAbsolutePath().normalize(),
                Path.of(specFile).toAbsolutePath(),
                Path.of(credentialFile).toAbsolutePath(),
                distribution,
                extensionZip.map(Path::of).orElse(distribution.brokerExtensionZip()),
                java.map(Path::of).orElse(AgentSettings.currentJava()));
    }
}
