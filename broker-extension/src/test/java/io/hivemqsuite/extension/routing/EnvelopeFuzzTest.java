package io.hivemqsuite.extension.routing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch arrives on a link from a peer broker. Whatever the bytes, {@link Envelope#decodeBatch} returns null or
 * envelopes a broker can publish (a topic, QoS 0-2, user properties in pairs), and what it returns encodes and
 * decodes to the same envelopes again; any batch of envelopes encodes and decodes to itself.
 */
class EnvelopeFuzzTest {

    @FuzzTest
    void anyBytesDecodeToPublishableEnvelopesOrNothing(byte[] bytes) {
        List<Envelope> batch = Envelope.decodeBatch(bytes, 1L);
        if (batch == null) {
            return;
        }
        List<Long> expiry = new ArrayList<>();
        for (Envelope e : batch) {
            assertNotNull(e.topic());
            assertTrue(e.qos() >= 0 && e.qos() <= 2, "QoS " + e.qos());
            assertEquals(0, e.userProperties().size() % 2, "user properties come in pairs");
            expiry.add(e.expirySeconds());
        }
        List<Envelope> again = Envelope.decodeBatch(Envelope.encodeBatch(batch, expiry), 1L);
        assertNotNull(again, "a decoded batch encodes to a batch that decodes");
        assertEquals(batch.size(), again.size());
        for (int i = 0; i < batch.size(); i++) {
            EnvelopeTest.assertSameMessage(withReceived(batch.get(i)), withReceived(again.get(i)));
        }
    }

    @FuzzTest
    void anyBatchArrivesAsItLeft(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 5);
        List<Envelope> batch = new ArrayList<>();
        List<Long> expiry = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> user = new ArrayList<>();
            int pairs = data.consumeInt(0, 3);
            for (int k = 0; k < 2 * pairs; k++) {
                user.add(data.consumeString(20));
            }
            Long remaining = data.consumeBoolean() ? data.consumeLong() : null;
            batch.add(new Envelope(data.consumeString(50), data.consumeBytes(100), data.consumeInt(0, 2),
                    data.consumeBoolean(), data.consumeBoolean(), data.consumeLong(), List.copyOf(user),
                    data.consumeBoolean() ? data.consumeString(20) : null,
                    data.consumeBoolean() ? data.consumeBoolean() : null,
                    data.consumeBoolean() ? data.consumeString(20) : null,
                    data.consumeBoolean() ? data.consumeBytes(20) : null, remaining, 0L, Envelope.NOT_JOURNALED));
            expiry.add(remaining);
        }
        List<Envelope> received = Envelope.decodeBatch(Envelope.encodeBatch(batch, expiry), 9L);
        assertNotNull(received);
        assertEquals(batch.size(), received.size());
        for (int i = 0; i < batch.size(); i++) {
            EnvelopeTest.assertSameMessage(batch.get(i), withReceived(received.get(i)));
        }
    }

    /** assertSameMessage expects the receive time EnvelopeTest decodes with. */
    private static Envelope withReceived(Envelope e) {
        return new Envelope(e.topic(), e.payload(), e.qos(), e.retain(), e.catchUp(), e.originTimeMillis(),
                e.userProperties(), e.contentType(), e.utf8Payload(), e.responseTopic(), e.correlationData(),
                e.expirySeconds(), 123_456_789L, e.journalSeq());
    }
}
