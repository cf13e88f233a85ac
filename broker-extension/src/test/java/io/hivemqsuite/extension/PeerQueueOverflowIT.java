package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A peer away for longer than its queue holds: the oldest envelopes are dropped, and that is never silent. The
 * count is in the node's routing counters (which the node agent turns into node status and metrics) and the
 * broker log says it once per overflow episode.
 */
class PeerQueueOverflowIT {
    private static final int PORT = 1897;
    private static final int QUEUE_MAX = 50;

    @Test
    void anOverflowIsCountedAndLoggedOnce() throws Exception {
        try (Cluster cluster = Cluster.start(2, PORT, true, QUEUE_MAX)) {
            cluster.persistentSubscription(1, "overflow-sub", "overflow/#", 0);
            cluster.stopAndAwaitLinkDown(1, 0);
            Mqtt5BlockingClient publisher = cluster.connected(0, "overflow-pub");
            int published = QUEUE_MAX + 30;
            for (int i = 0; i < published; i++) {
                Clients.publish(publisher, "overflow/t", "o" + i, false);
            }
            publisher.disconnect();
            String stats = cluster.awaitStats(0, j -> Cluster.peerCount(j, 1, "dropped") >= 30, 10_000);
            assertEquals(30, Cluster.peerCount(stats, 1, "dropped"), stats);
            assertEquals(QUEUE_MAX, Cluster.peerCount(stats, 1, "queued"), stats);

            String log = cluster.node(0).log();
            Matcher overflow = Pattern.compile("routing queue for node 1 is full").matcher(log);
            int lines = 0;
            while (overflow.find()) {
                lines++;
            }
            assertEquals(1, lines, "one log line for the whole overflow episode:\n" + log);
            System.out.println("overflow: " + stats);

            // What was kept arrives when the peer returns: the newest QUEUE_MAX, in order.
            cluster.node(1).start().awaitStarted();
            List<String> got = cluster.resumeSession(1, "overflow-sub", Integer.MAX_VALUE, 3000);
            List<String> expected = new ArrayList<>();
            for (int i = published - QUEUE_MAX; i < published; i++) {
                expected.add("o" + i);
            }
            assertEquals(expected, got);
        }
    }
}
