package io.hivemqsuite.endpoint.settings;

import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.servicekit.settings.SuiteLocations;
import io.hivemqsuite.servicekit.settings.SuiteSecrets;
import io.hivemqsuite.servicekit.settings.SuiteSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the launcher tells the endpoint service, as system properties: service-kit's shared keys and
 * {@link EndpointConfig}. Read once at start:
 * a missing or unreadable secret stops the service with the property's name, rather than serving unprotected.
 *
 * @param serviceName    the service name as installed ({@code /dev/hivemq} allowed)
 * @param home           the suite home; the DNS zone files live in {@code <home>/dns}
 * @param slot           the service's loopback slot (127.0.slot.x)
 * @param nodeNamespaces whether the nodes run in network namespaces (their addresses, see LocalLayout)
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
        boolean nodeNamespaces,
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

    /** Reads every secret now: a missing or unreadable one stops the start with the setting's name. */
    static EndpointSettings of(SuiteSettings suite, EndpointConfig own, SuiteLocations locations,
                               SuiteSecrets secrets) {
        String serviceName = suite.requiredServiceName();
        int slot = suite.requiredSlot();
        Path home = locations.home().map(Path::of)
                .or(() -> suite.serviceDir().map(Path::of).map(Path::getParent))
                .orElseGet(LocalLayout::defaultHome);
        LocalLayout layout = new LocalLayout(home, serviceName.replace("/", ""), slot, suite.nodeNamespaces());
        return new EndpointSettings(
                serviceName,
                home,
                slot,
                suite.nodeNamespaces(),
                secrets.token(),
                secrets.credential(),
                suite.schedulerUrl().orElse(layout.schedulerUrl()),
                own.agentPort().orElse(LocalLayout.AGENT_PORT),
                own.dns().host().orElse(LocalLayout.DNS_ADDRESS),
                own.dns().port().orElse(LocalLayout.DNS_PORT),
                own.dns().enabled(),
                own.vip().address().orElse(layout.vipAddress()),
                own.vip().enabled(),
                Duration.ofMillis(own.pollIntervalMs()),
                Duration.ofMillis(own.vip().holdMs()));
    }

    public String serviceDnsName() {
        return serviceName.replace("/", "");
    }

    public LocalLayout layout() {
        return new LocalLayout(home, serviceDnsName(), slot, nodeNamespaces);
    }

    public Path dnsDir() {
        return LocalLayout.dnsDir(home);
    }
}
