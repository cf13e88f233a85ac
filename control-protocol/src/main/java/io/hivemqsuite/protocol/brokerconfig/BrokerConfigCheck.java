package io.hivemqsuite.protocol.brokerconfig;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.ServiceOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check install and update run before anything is written: the first node's config.xml rendered from the
 * options (the built-in one, or {@code advanced.configuration_override}) must validate against the config.xsd of
 * the broker this suite runs. A node agent would refuse it at start; refusing it here keeps the service as it was.
 */
public final class BrokerConfigCheck {
    private BrokerConfigCheck() {
    }

    /**
     * @throws OptionsException naming {@code advanced.configuration_override} (or {@code hivemq}, for a rendered
     *                          config) with the template's or the XSD's reason
     */
    public static void check(ServiceOptions options, LocalDistribution distribution) {
        Path lib = distribution.brokerLibDir(options.hivemq().version());
        if (!Files.isDirectory(lib)) {
            // mesos mode away from a build: the node agents still validate before they write
            return;
        }
        boolean override = ConfigTemplate.of(options.advanced().configurationOverride()).isPresent();
        String field = override ? ConfigTemplate.FIELD : "hivemq";
        String xml;
        try {
            Path sandbox = Path.of(System.getProperty("java.io.tmpdir"), "hivemq-node-0");
            BrokerConfigRenderer.NodeValues node = new BrokerConfigRenderer.NodeValues("127.0.0.1", sandbox,
                    options.tlsEnabled() ? sandbox.resolve("tls/keystore.jks") : null,
                    options.tlsEnabled() ? "(node keystore password)" : null);
            xml = BrokerConfigRenderer.renderConfig(options, node).xml();
        } catch (IllegalArgumentException e) {
            throw new OptionsException(field, e.getMessage());
        }
        try {
            BrokerConfigSchema.fromBrokerLib(lib).validate(xml);
        } catch (ConfigRejectedException e) {
            throw new OptionsException(field, (override ? "the rendered template " : "the rendered config.xml ")
                    + e.getMessage().replaceFirst("^config.xml ", ""));
        }
    }
}
