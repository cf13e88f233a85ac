package io.hivemqsuite.protocol.endpoint;

/** A node that runs, by index, and the host address its listeners are reachable on. */
public record NodeAddress(int index, String address) {
}
