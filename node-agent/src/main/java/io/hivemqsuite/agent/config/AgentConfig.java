package io.hivemqsuite.agent.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The node agent's own {@code suite.*} keys; the shared ones are service-kit's {@code SuiteSettings}. */
@ConfigMapping(prefix = "suite")
public interface AgentConfig {

    Node node();

    /** {@code suite.broker-extension-zip}: only for tests and hand-made setups, an extension other than the distribution's. */
    Optional<String> brokerExtensionZip();

    Broker broker();

    interface Node {
        /** {@code suite.node.index}: which node this agent serves. */
        int index();

        /** {@code suite.node.address}: the node's loopback address. */
        String address();

        /** {@code suite.node.dir}: the node's persistent folder. */
        String dir();
    }

    interface Broker {
        /** {@code suite.broker.java}: the {@code java} that runs the broker (default: this JVM's). */
        Optional<String> java();
    }
}
