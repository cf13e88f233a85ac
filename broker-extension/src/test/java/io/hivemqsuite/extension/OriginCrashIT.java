package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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

            Mqtt5BlockingClient back = Mqtt5Client.builder().identifier("journal-sub")
                    .serverHost(cluster.node(1).host).serverPort(PORT).buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
                back.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
                List<String> got = new ArrayList<>();
                Set<String> unique = new LinkedHashSet<>();
                Optional<Mqtt5Publish> next;
                while (unique.size() < n && (next = publishes.receive(10, TimeUnit.SECONDS)).isPresent()) {
                    got.add(Clients.text(next.get()));
                    unique.add(Clients.text(next.get()));
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add("j" + i);
                }
                assertEquals(expected, new ArrayList<>(unique), "every acknowledged message, first copies in order");
                System.out.println("origin crash: " + n + " published, " + got.size() + " delivered, "
                        + (got.size() - unique.size()) + " duplicates");
            } finally {
                back.disconnect();
            }
        }
    }
}
