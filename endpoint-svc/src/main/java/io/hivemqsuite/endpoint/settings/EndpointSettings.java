package io.hivemqsuite.endpoint.settings;

import io.hivemqsuite.protocol.dist.LocalLayout;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the launcher tells the endpoint service, as system properties (like the scheduler's). Read once at start:
 * a missing or unreadable secret stops the service with the property's name, rather than serving unprotected.
 *
 * @param serviceName    the service name as installed ({@code /dev/hivemq} allowed)
 * @param home           the suite home; the DNS zone files live in {@code <home>/dns}
 * @param slot           the service's loopback slot (127.0.slot.x)
 * @param apiToken       the bearer token every API call but health must carry
 * @param credential     the internal secret: the node agents' bearer token
 * @param schedulerUrl   where the scheduler's REST API answers
 * @param agentPort      the node agents' HTTP port on each node address
 * @param dnsHost        where the machine-wide DNS server binds, when this instance holds it
 * @param dnsPort        its port (UDP and TCP)
 * @param dnsEnabled     whether to publish a zone and compete for the DNS server at all
 * @param vipAddress     the address every VIP of this service listens on
 * @param vipEnabled     whether to run the layer-4 load balancers (local mode)
 * @param pollInterval   how often the scheduler and agents are asked
 * @param vipHold        how long a VIP holds a new connection for its home node while that node restarts
 */
public record EndpointSettings(
        String serviceName,
        Path home,
        int slot,
        String apiToken,
        String credential,
        String schedulerUrl,
        int agentPort,
        String dnsHost,
        int dnsPort,
        boolean dnsEnabled,
        String vipAddress,
        boolean vipEnabled,
        Duration pollInterval,
        Duration vipHold) {

    public static EndpointSettings from(Config config) {
        String serviceName = required(config, "suite.service-name");
        int slot = config.getOptionalValue("suite.slot", Integer.class)
                .orElseThrow(() -> new IllegalStateException("setting suite.slot is missing"));
        Optional<Path> serviceDir = config.getOptionalValue("suite.service-dir", String.class).map(Path::of);
        Path home = config.getOptionalValue("hivemq.suite.home", String.class).map(Path::of)
                .or(() -> serviceDir.map(Path::getParent))
                .orElseGet(LocalLayout::defaultHome);
        LocalLayout layout = new LocalLayout(home, serviceName.replace("/", ""), slot);
        return new EndpointSettings(
                serviceName,
                home,
                slot,
                secret(required(config, "suite.token-file"), "suite.token-file"),
                secret(required(config, "suite.credential-file"), "suite.credential-file"),
                config.getOptionalValue("suite.scheduler-url", String.class).orElse(layout.schedulerUrl()),
                config.getOptionalValue("suite.agent-port", Integer.class).orElse(LocalLayout.AGENT_PORT),
                config.getOptionalValue("suite.dns.host", String.class).orElse(LocalLayout.DNS_ADDRESS),
                config.getOptionalValue("suite.dns.port", Integer.class).orElse(LocalLayout.DNS_PORT),
                config.getOptionalValue("suite.dns.enabled", Boolean.class).orElse(true),
                config.getOptionalValue("suite.vip.address", String.class).orElse(layout.vipAddress()),
                config.getOptionalValue("suite.vip.enabled", Boolean.class).orElse(true),
                Duration.ofMillis(config.getOptionalValue("suite.poll-interval-ms", Long.class).orElse(1000L)),
                Duration.ofMillis(config.getOptionalValue("suite.vip.hold-ms", Long.class).orElse(30_000L)));
    }

    public String serviceDnsName() {
        return serviceName.replace("/", "");
    }

    public LocalLayout layout() {
        return new LocalLayout(home, serviceDnsName(), slot);
    }

    public Path dnsDir() {
        return LocalLayout.dnsDir(home);
    }

    private static String required(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("setting " + name + " is missing"));
    }

    private static String secret(String file, String setting) {
        try {
            String value = Files.readString(Path.of(file)).trim();
            if (value.isEmpty()) {
                throw new IllegalStateException("setting " + setting + ": file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalStateException("setting " + setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
