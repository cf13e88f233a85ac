package io.hivemqsuite.protocol.endpoint;

import java.util.List;

/**
 * The DNS records one service owns, names absolute and lower case. In local mode each endpoint service
 * publishes its zone as a file so that one DNS server can answer for every service on the machine.
 *
 * @param service the service's DNS name
 * @param srv     SRV records
 * @param a       A records
 */
public record DnsZone(String service, List<Srv> srv, List<A> a) {
    public DnsZone {
        srv = List.copyOf(srv);
        a = List.copyOf(a);
    }

    public record Srv(String name, String target, int port) {
    }

    public record A(String name, String address) {
    }
}
