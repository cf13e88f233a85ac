package io.hivemqsuite.endpoint.vip;

/** One node's listener behind a VIP. */
public record Backend(int node, String host, int port) {
}
