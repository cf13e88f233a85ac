package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The origin broker dies (kill -9) while it still owes a peer QoS 1 messages it acknowledged to the publisher: the
 * routing journal on its data folder brings them back when it restarts, so the subscriber on the peer loses none.
 */
class OriginCrashIT {
    private static final int PORT = 1898;

    @Test
    void messagesAcknowledgedByACrashedOriginStillReachThePeer() throws Exception {
        try (Cluster cluster = Cluster.start(2, PORT, true, 100_000)) {
            cluster.persistentSubscription(1, "journal-sub", "journal/#", 0);
            // Node 1 is away, so node 0 holds what it owes; then node 0 crashes with all of it unsent.
            cluster.stopAndAwaitLinkDown(1, 0);
            Mqtt5BlockingClient publisher = cluster.connected(0, "journal-pub");
            int n = 150;
            for (int i = 0; i < n; i++) {
                Clients.publish(publisher, "journal/t", "j" + i, false); // each returns after its PUBACK
            }
            cluster.node(0).kill();

            cluster.node(1).start().awaitStarted();
            cluster.node(0).start().awaitStarted();
            String stats = cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "sent") >= n, 30_000);
            System.out.println("origin crash, after restart: " + stats);

            List<String> got = cluster.resumeSession(1, "journal-sub", n, 10_000);
            List<String> unique = got.stream().distinct().toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add("j" + i);
            }
            assertEquals(expected, unique, "every acknowledged message, first copies in order");
            System.out.println("origin crash: " + n + " published, " + got.size() + " delivered, "
                    + (got.size() - unique.size()) + " duplicates");
        }
    }
}
