package io.hivemqsuite.endpoint.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;
import java.util.OptionalInt;

/** The endpoint service's own {@code suite.*} keys; the shared ones are service-kit's {@code SuiteSettings}. */
@ConfigMapping(prefix = "suite")
public interface EndpointConfig {

    /** {@code suite.agent-port}: the node agents' HTTP port (default {@code LocalLayout.AGENT_PORT}). */
    OptionalInt agentPort();

    Dns dns();

    Vip vip();

    /** {@code suite.poll-interval-ms}: how often the scheduler and agents are asked. */
    @WithDefault("1000")
    long pollIntervalMs();

    interface Dns {
        /** {@code suite.dns.host} (default {@code LocalLayout.DNS_ADDRESS}). */
        Optional<String> host();

        /** {@code suite.dns.port} (default {@code LocalLayout.DNS_PORT}). */
        OptionalInt port();

        @WithDefault("true")
        boolean enabled();
    }

    interface Vip {
        /** {@code suite.vip.address} (default: the slot's VIP address). */
        Optional<String> address();

        @WithDefault("true")
        boolean enabled();

        /** {@code suite.vip.hold-ms}: how long a new connection waits for its restarting home node. */
        @WithDefault("30000")
        long holdMs();
    }
}
