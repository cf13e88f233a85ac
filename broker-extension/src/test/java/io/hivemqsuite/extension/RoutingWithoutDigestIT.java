package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.hivemqsuite.extension.Clients.Recorder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark switch: with the subscription digest off every publish goes to every peer, wanted or not. */
class RoutingWithoutDigestIT {
    private static final int PORT = 1894;

    @Test
    void everyPublishGoesToEveryPeerEvenWithoutInterest() throws Exception {
        try (Cluster cluster = Cluster.start(3, PORT, false, 100_000)) {
            Recorder onNode1 = new Recorder(cluster.connected(1, "sub"), "lonely/#");
            Mqtt5BlockingClient publisher = cluster.connected(0, "pub");
            try {
                String before = cluster.stats(0);
                for (int i = 0; i < 50; i++) {
                    Clients.publish(publisher, "lonely/" + i, "l" + i, false);
                }
                assertTrue(onNode1.awaitTopic("lonely/49", 10_000).isPresent());
                String after = cluster.awaitStats(0, j -> Cluster.peerCount(j, 2, "sent")
                        >= Cluster.peerCount(before, 2, "sent") + 50, 10_000);
                assertEquals(Cluster.peerCount(before, 2, "sent") + 50, Cluster.peerCount(after, 2, "sent"), after);
                assertEquals(0, Cluster.peerCount(after, 2, "skippedByDigest"), after);
                // Node 2 took the envelopes in (and delivered them to nobody).
                String node2 = cluster.awaitStats(2, j -> j.contains("\"received\":50"), 10_000);
                assertTrue(node2.contains("\"received\":50"), node2);
            } finally {
                onNode1.close();
                publisher.disconnect();
            }
        }
    }
}
