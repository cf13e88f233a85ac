package io.hivemqsuite.protocol.endpoint;

import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints and DNS records of a service, computed from its spec and the nodes that run. Shared so that the
 * endpoint service, the CLI and the system tests agree on every name without talking to each other.
 */
public final class ServiceEndpoints {
    private final String serviceDnsName;
    private final List<ListenerEndpoint> listeners;
    private final List<NodeAddress> nodes;

    public ServiceEndpoints(ServiceOptions options, List<NodeAddress> nodes) {
        this.serviceDnsName = options.service().dnsName();
        this.listeners = options.enabledListeners();
        this.nodes = nodes.stream().sorted(Comparator.comparingInt(NodeAddress::index)).toList();
    }

    public String serviceDnsName() {
        return serviceDnsName;
    }

    public List<ListenerEndpoint> listeners() {
        return listeners;
    }

    /** The enabled listeners that have a VIP ({@code *_vip_enabled}; MQTT always has one). */
    public List<ListenerEndpoint> vipListeners() {
        return listeners.stream().filter(ListenerEndpoint::vip).toList();
    }

    public List<NodeAddress> nodes() {
        return nodes;
    }

    /** The endpoint names of the enabled listeners, MQTT first. */
    public List<String> names() {
        return listeners.stream().map(l -> l.listener().endpointName()).toList();
    }

    public Optional<ListenerEndpoint> listener(String endpointName) {
        return listeners.stream().filter(l -> l.listener().endpointName().equals(endpointName)).findFirst();
    }

    /** The endpoint of an enabled listener; empty for a disabled or unknown name. */
    public Optional<EndpointView> view(String endpointName) {
        return listener(endpointName).map(this::view);
    }

    private EndpointView view(ListenerEndpoint listener) {
        List<String> address = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        for (NodeAddress node : nodes) {
            address.add(node.address() + ":" + listener.port());
            dns.add(DnsNames.autoip(serviceDnsName, node.index()) + ":" + listener.port());
        }
        // hivemq.listener_configuration.*_vip_enabled: a listener without a VIP has no VIP name either
        return new EndpointView(address, dns, listener.vip() ? vipName(listener.listener()) + ":" + listener.vipPort() : null);
    }

    public String vipName(Listener listener) {
        return DnsNames.vip(serviceDnsName, listener);
    }

    /**
     * Every record the service owns: per node and enabled listener an SRV record pointing at the node's Mesos
     * name, A records for both node names, and an A record per VIP name pointing at {@code vipAddress}.
     */
    public DnsZone zone(String vipAddress) {
        List<DnsZone.Srv> srv = new ArrayList<>();
        List<DnsZone.A> a = new ArrayList<>();
        for (NodeAddress node : nodes) {
            String target = DnsNames.absolute(DnsNames.mesos(serviceDnsName, node.index()));
            for (ListenerEndpoint listener : listeners) {
                srv.add(new DnsZone.Srv(DnsNames.absolute(DnsNames.srv(serviceDnsName, listener.listener(), node.index())),
                        target, listener.port()));
            }
            a.add(new DnsZone.A(DnsNames.absolute(DnsNames.autoip(serviceDnsName, node.index())), node.address()));
            a.add(new DnsZone.A(target, node.address()));
        }
        for (ListenerEndpoint listener : listeners.stream().filter(ListenerEndpoint::vip).toList()) {
            a.add(new DnsZone.A(DnsNames.absolute(vipName(listener.listener())), vipAddress));
        }
        return new DnsZone(serviceDnsName, srv, a);
    }
}
