package io.hivemqsuite.protocol.endpoint;

import java.util.List;

/**
 * One endpoint as {@code GET /v1/endpoints/{name}} shows it, in the dcos-commons shape users script against.
 *
 * @param address {@code host:port} of the listener on every node that runs
 * @param dns     the same, by each node's autoip DNS name
 * @param vip     the listener's virtual IP by name, {@code mqtt.<svc>.l4lb.thisdcos.directory:<vipPort>}
 */
public record EndpointView(List<String> address, List<String> dns, String vip) {
    public EndpointView {
        address = List.copyOf(address);
        dns = List.copyOf(dns);
    }
}
