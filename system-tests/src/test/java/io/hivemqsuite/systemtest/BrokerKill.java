package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.message.NodeStatus;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of one node's broker, timed: until its agent launched a new broker (detection), until the node is HEALTHY
 * again (recovery), and the new broker's own cold start (its launch to HEALTHY), the yardstick of the recovery.
 */
record BrokerKill(NodeStatus before, NodeStatus after, long detectMs, long recoveryMs, long coldStartMs) {

    /** The agent's own status, every 50 ms: its broker pid changes the moment it launches the new broker. */
    private static final Duration PROBE = Duration.ofMillis(50);

    static BrokerKill of(InstalledService service, int node) {
        NodeStatus before = service.nodeStatus(node);
        assertTrue(before.healthy(), before.toString());
        ProcessHandle broker = ProcessHandle.of(before.brokerPid()).orElseThrow();
        long killedAt = System.currentTimeMillis();
        assertTrue(broker.destroyForcibly(), "kill -9 the broker of hivemq-" + node);
        Poll.until(Duration.ofMinutes(1), PROBE, "hivemq-" + node + " launching a new broker", () -> {
            long pid = service.nodeStatus(node).brokerPid();
            return pid > 0 && pid != before.brokerPid();
        });
        long launchedAt = System.currentTimeMillis();
        NodeStatus after = Poll.until(Duration.ofMinutes(2), PROBE, "hivemq-" + node + " healthy with a new broker",
                () -> {
                    NodeStatus now = service.nodeStatus(node);
                    return now.healthy() && now.brokerPid() != before.brokerPid() ? now : null;
                });
        long servingAt = System.currentTimeMillis();
        return new BrokerKill(before, after, launchedAt - killedAt, servingAt - killedAt, servingAt - launchedAt);
    }

    double ratio() {
        return (double) recoveryMs / coldStartMs;
    }

    @Override
    public String toString() {
        return String.format("detected and relaunched after %d ms, serving %d ms after the kill; its own cold start "
                + "%d ms; ratio %.2f", detectMs, recoveryMs, coldStartMs, ratio());
    }
}
