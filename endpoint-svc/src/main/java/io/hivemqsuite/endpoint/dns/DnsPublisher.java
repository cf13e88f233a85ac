package io.hivemqsuite.endpoint.dns;

import io.hivemqsuite.endpoint.settings.EndpointSettings;
import io.hivemqsuite.endpoint.topology.Topology;
import io.hivemqsuite.protocol.endpoint.DnsZone;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * Publishes this service's records as its zone file whenever the topology changes them, and competes for the
 * machine-wide DNS server. The zone file goes away with a clean stop (uninstall); after a crash the dead owner pid
 * keeps its records from being answered.
 */
@ApplicationScoped
public class DnsPublisher {
    private static final Logger LOG = Logger.getLogger(DnsPublisher.class);

    @Inject
    EndpointSettings settings;

    private DnsServer server;
    private volatile DnsZone published;

    void start(@Observes StartupEvent event) {
        if (!settings.dnsEnabled()) {
            return;
        }
        ZoneDirectory zones = new ZoneDirectory(settings.dnsDir());
        server = new DnsServer(new InetSocketAddress(settings.dnsHost(), settings.dnsPort()),
                new DnsAnswers(zones::liveZones), Duration.ofSeconds(3));
        server.start();
    }

    void onTopology(@Observes Topology topology) {
        if (!settings.dnsEnabled() || !topology.known()) {
            return;
        }
        DnsZone zone = topology.endpoints().zone(settings.vipAddress());
        if (zone.equals(published)) {
            return;
        }
        try {
            new ZoneFile(ProcessHandle.current().pid(), zone).write(settings.dnsDir());
            published = zone;
            LOG.infof("DNS zone of %s: %d SRV, %d A records", zone.service(), zone.srv().size(), zone.a().size());
        } catch (IOException e) {
            LOG.warnf("cannot write zone file under %s: %s", settings.dnsDir(), e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
        if (published != null) {
            try {
                Files.deleteIfExists(ZoneFile.path(settings.dnsDir(), published.service()));
            } catch (IOException e) {
                LOG.warnf("cannot remove zone file: %s", e.getMessage());
            }
        }
    }

    public boolean serving() {
        return server != null && server.serving();
    }

    public List<DnsZone> publishedZone() {
        return published == null ? List.of() : List.of(published);
    }
}
