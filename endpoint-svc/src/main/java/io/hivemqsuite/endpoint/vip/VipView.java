package io.hivemqsuite.endpoint.vip;

import java.util.List;

/**
 * {@code GET /v1/vip}: per enabled listener its VIP by name and by address, and per node whether it takes new
 * connections and how many it carries now.
 */
public record VipView(List<ListenerVip> listeners) {
    public record ListenerVip(String name, String vip, String address, boolean listening, int connections,
                              List<NodeVip> nodes) {
    }

    public record NodeVip(String pod, String address, String state, boolean drained, boolean inRotation,
                          int connections) {
    }
}
