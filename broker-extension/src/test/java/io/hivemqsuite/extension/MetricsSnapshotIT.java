package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hivemqsuite.extension.Clients.Recorder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's own metrics leave it on the control topic: what metrics-svc reads. The wire format is parsed here
 * by hand (control-protocol is off the test class path), which pins the contract.
 */
class MetricsSnapshotIT {
    private static final int PORT = 1889;
    private static final String TOPIC = "hivemq-suite/hivemq/nodes/3/metrics";

    @Test
    void snapshotsCarryTheBrokersCountersAndFollowTheTraffic() throws Exception {
        String settings = SuiteBroker.validSettings(true)
                + "metrics.enabled=true\nnode.index=3\nmetrics.interval-seconds=1\n";
        try (SuiteBroker broker = SuiteBroker.start(PORT, settings);
             Recorder internal = new Recorder(Clients.internal(broker, "metrics-reader", SuiteBroker.SECRET), TOPIC);
             Recorder outside = new Recorder(Clients.anonymous(broker, "curious"), "#")) {
            Mqtt5BlockingClient publisher = Clients.anonymous(broker, "publisher");
            for (int i = 0; i < 40; i++) {
                Clients.publish(publisher, "plant/line-1/temperature", "20." + i, false);
            }
            // the next snapshot taken after the 40 publishes counts them (meters are read when the snapshot is taken)
            Map<String, String[]> samples = Map.of();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                Optional<Mqtt5Publish> next = internal.awaitTopic(TOPIC, 3_000);
                assertTrue(next.isPresent(), "no metrics snapshot within 3 s at a 1 s interval");
                samples = parse(Clients.text(next.get()));
                if (value(samples, "com.hivemq.messages.incoming.publish.count") >= 40) {
                    break;
                }
            }
            Files.writeString(Path.of("target", "metrics-snapshot-sample.txt"), String.join("\n",
                    samples.entrySet().stream().map(e -> e.getValue()[0] + " " + e.getKey() + " " + e.getValue()[1])
                            .toList()));
            assertEquals("c", samples.get("com.hivemq.messages.incoming.publish.count")[0], "a total is a counter");
            assertEquals(40.0, value(samples, "com.hivemq.messages.incoming.publish.count"), samples.keySet().toString());
            assertTrue(value(samples, "com.hivemq.networking.bytes.read.total") > 40 * 20);
            assertEquals("c", samples.get("com.hivemq.networking.bytes.read.total")[0]);
            // the reader, the outside subscriber and the publisher are connected
            assertEquals("g", samples.get("com.hivemq.networking.connections.current")[0]);
            assertEquals(3.0, value(samples, "com.hivemq.networking.connections.current"));
            assertTrue(value(samples, "com.hivemq.jvm.memory.heap.used") > 1_000_000, "heap in bytes");
            assertTrue(samples.containsKey("com.hivemq.jvm.process.cpu.seconds.total"));
            assertTrue(samples.keySet().stream().allMatch(n -> n.startsWith("com.hivemq.")), samples.keySet().toString());
            Clients.disconnectQuietly(publisher);

            outside.drain(500);
            assertFalse(outside.topics().contains(TOPIC), "an outside client never sees the metrics");
        }
    }

    /** name -> {kind, value}; the first line is {@code hms1 <node> <takenAt> <interval>}. */
    private static Map<String, String[]> parse(String text) {
        String[] lines = text.split("\n");
        String[] head = lines[0].split(" ");
        assertEquals("hms1", head[0]);
        assertEquals("3", head[1], "the node index from suite.properties");
        assertTrue(Math.abs(System.currentTimeMillis() - Long.parseLong(head[2])) < 10_000, "takenAt is now");
        assertEquals("1", head[3]);
        Map<String, String[]> samples = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] parts = lines[i].split(" ");
            assertEquals(3, parts.length, lines[i]);
            samples.put(parts[1], new String[]{parts[0], parts[2]});
        }
        return samples;
    }

    private static double value(Map<String, String[]> samples, String name) {
        String[] sample = samples.get(name);
        return sample == null ? -1 : Double.parseDouble(sample[1]);
    }
}
