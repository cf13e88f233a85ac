package io.hivemqsuite.extension.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing batch is the wire format between brokers: a peer republishes each envelope as the original client
 * sent it, so every field, present or absent, must arrive as it left; a batch that is cut short or corrupt is
 * refused whole (null) rather than half republished.
 */
class EnvelopeTest {
    private static final long NOW = 123_456_789L;

    static Envelope envelope(String topic, byte[] payload, int qos, boolean retain, boolean catchUp,
                             List<String> user, String contentType, Boolean utf8, String responseTopic,
                             byte[] correlation, Long expiry) {
        return new Envelope(topic, payload, qos, retain, catchUp, 1_700_000_000_123L, user, contentType, utf8,
                responseTopic, correlation, expiry, 42L, 7L);
    }

    static Stream<Arguments> envelopes() {
        return Stream.of(
                Arguments.of("bare QoS 0", envelope("a", new byte[0], 0, false, false, List.of(), null, null, null,
                        null, null)),
                Arguments.of("every field", envelope("sensors/1/temp", bytes("21.5"), 2, true, false,
                        List.of("unit", "C", "unit", "K", "site", ""), "text/plain", true, "replies/1",
                        new byte[] {0, 1, 2, (byte) 0xff}, 3600L)),
                Arguments.of("QoS 1, binary payload, utf8 false", envelope("b/c", new byte[] {(byte) 0x80, 0, 0x7f},
                        1, false, false, List.of(), "application/octet-stream", false, null, null, null)),
                Arguments.of("empty strings are not absent", envelope("x", bytes(""), 1, false, false,
                        List.of("", ""), "", null, "", new byte[0], 0L)),
                Arguments.of("retained clear", envelope("status/door", new byte[0], 1, true, false, List.of(), null,
                        null, null, null, null)),
                Arguments.of("catch-up copy", envelope("retained/x", bytes("v"), 0, true, true, List.of(), null, null,
                        null, null, null)),
                Arguments.of("non-ASCII everywhere", envelope("grüße/🌍", bytes("ünïcödé"), 1, false, false,
                        List.of("schlüssel", "wért"), "text/plain; charset=utf-8", true, "antwört/ü", null, 59L)),
                Arguments.of("expired on the way", envelope("t", bytes("p"), 1, false, false, List.of(), null, null,
                        null, null, -3L)),
                Arguments.of("large payload", envelope("big", new byte[200_000], 1, false, false, List.of(), null,
                        null, null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopes")
    void oneEnvelopeArrivesAsItLeft(String name, Envelope sent) {
        List<Envelope> received = Envelope.decodeBatch(
                Envelope.encodeBatch(List.of(sent), Arrays.asList(sent.expirySeconds())), NOW);
        assertNotNull(received, name);
        assertEquals(1, received.size());
        assertSameMessage(sent, received.get(0));
    }

    @Test
    void aBatchKeepsItsOrderAndEveryEnvelope() {
        List<Envelope> batch = envelopes().map(a -> (Envelope) a.get()[1]).toList();
        List<Long> expiry = batch.stream().map(Envelope::expirySeconds).toList();
        List<Envelope> received = Envelope.decodeBatch(Envelope.encodeBatch(batch, new ArrayList<>(expiry)), NOW);
        assertNotNull(received);
        assertEquals(batch.size(), received.size());
        for (int i = 0; i < batch.size(); i++) {
            assertSameMessage(batch.get(i), received.get(i));
        }
    }

    @Test
    void theSentExpiryIsWhatWasLeftNotTheOriginal() {
        Envelope sent = envelope("t", bytes("p"), 1, false, false, List.of(), null, null, null, null, 3600L);
        List<Long> remaining = new ArrayList<>();
        remaining.add(3000L);
        assertEquals(3000L, Envelope.decodeBatch(Envelope.encodeBatch(List.of(sent), remaining), NOW).get(0)
                .expirySeconds());
    }

    @Test
    void anEmptyBatchIsEmpty() {
        assertEquals(List.of(), Envelope.decodeBatch(Envelope.encodeBatch(List.of(), List.of()), NOW));
    }

    @Test
    void everyTruncationIsRefused() {
        List<Envelope> batch = envelopes().map(a -> (Envelope) a.get()[1]).filter(e -> e.payload().length < 1000)
                .toList();
        byte[] whole = Envelope.encodeBatch(batch, new ArrayList<>(batch.stream().map(Envelope::expirySeconds).toList()));
        for (int length = 0; length < whole.length; length++) {
            assertNull(Envelope.decodeBatch(Arrays.copyOf(whole, length), NOW), "cut at " + length + " of " + whole.length);
        }
    }

    static Stream<Arguments> corruptions() {
        Envelope one = envelope("a/b", bytes("hello"), 1, false, false, List.of("k", "v"), null, null, null, null, null);
        // Layout of this envelope: format(1) count(4) | qos(1) flags(1) origin(8) topicLen(4) "a/b" payloadLen(4)
        // "hello" userCount(4) "k"(4+1) "v"(4+1) contentType(4) responseTopic(4) correlation(4)
        byte[] valid = Envelope.encodeBatch(List.of(one), Arrays.asList((Long) null));
        int qos = 5;
        int topicLength = qos + 10;
        int userCount = topicLength + 4 + 3 + 4 + 5;
        return Stream.of(
                Arguments.of("unknown format", valid, (UnaryOperator<byte[]>) b -> set(b, 0, 2)),
                Arguments.of("negative count", valid, (UnaryOperator<byte[]>) b -> putInt(b, 1, -1)),
                Arguments.of("more envelopes than sent", valid, (UnaryOperator<byte[]>) b -> putInt(b, 1, 2)),
                Arguments.of("count larger than the bytes", valid, (UnaryOperator<byte[]>) b -> putInt(b, 1, 1 << 30)),
                Arguments.of("QoS 3", valid, (UnaryOperator<byte[]>) b -> set(b, qos, 3)),
                Arguments.of("negative QoS", valid, (UnaryOperator<byte[]>) b -> set(b, qos, 0xff)),
                Arguments.of("no topic", valid, (UnaryOperator<byte[]>) b -> withoutTopic(b, topicLength)),
                Arguments.of("topic longer than the bytes", valid,
                        (UnaryOperator<byte[]>) b -> putInt(b, topicLength, Integer.MAX_VALUE)),
                Arguments.of("a user property name without its value", valid,
                        (UnaryOperator<byte[]>) b -> oddUserProperties(b, userCount)),
                Arguments.of("user property count larger than the bytes", valid,
                        (UnaryOperator<byte[]>) b -> putInt(b, userCount, 1 << 20)),
                Arguments.of("bytes after the last envelope", valid,
                        (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length + 1)),
                Arguments.of("empty", valid, (UnaryOperator<byte[]>) b -> new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aCorruptBatchIsRefusedWhole(String name, byte[] valid, UnaryOperator<byte[]> corrupt) {
        assertNotNull(Envelope.decodeBatch(valid, NOW), "the uncorrupted batch decodes");
        assertNull(Envelope.decodeBatch(corrupt.apply(valid.clone()), NOW), name);
    }

    @Test
    void sizeCountsPayloadTopicPropertiesAndCorrelation() {
        Envelope e = envelope("abc", new byte[100], 1, false, false, List.of("k", "vv"), null, null, null,
                new byte[10], null);
        assertEquals(100 + 3 + 64 + 3 + 10, e.size());
    }

    @Test
    void remainingExpiryCountsDownTheTimeQueued() {
        Envelope e = new Envelope("t", new byte[0], 1, false, false, 0, List.of(), null, null, null, null, 10L,
                1_000_000_000L, Envelope.NOT_JOURNALED);
        assertEquals(10L, e.remainingExpirySeconds(1_000_000_000L));
        assertEquals(7L, e.remainingExpirySeconds(4_500_000_000L));
        assertTrue(e.remainingExpirySeconds(12_000_000_000L) <= 0);
        assertNull(envelope("t", new byte[0], 1, false, false, List.of(), null, null, null, null, null)
                .remainingExpirySeconds(99L));
    }

    @Test
    void sdkBuffersAreCopiedNotShared() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes("xhello")).position(1).asReadOnlyBuffer();
        byte[] copy = Envelope.bytes(buffer);
        assertArrayEquals(bytes("hello"), copy);
        assertEquals(1, buffer.position(), "the SDK's buffer is left as it was");
        assertArrayEquals(new byte[0], Envelope.bytes(java.util.Optional.empty()));
    }

    /** Every field a peer republishes; the receive time and journal record are the receiver's own. */
    static void assertSameMessage(Envelope sent, Envelope received) {
        assertEquals(sent.topic(), received.topic());
        assertArrayEquals(sent.payload(), received.payload());
        assertEquals(sent.qos(), received.qos());
        assertEquals(sent.retain(), received.retain());
        assertEquals(sent.catchUp(), received.catchUp());
        assertEquals(sent.originTimeMillis(), received.originTimeMillis());
        assertEquals(sent.userProperties(), received.userProperties());
        assertEquals(sent.contentType(), received.contentType());
        assertEquals(sent.utf8Payload(), received.utf8Payload());
        assertEquals(sent.responseTopic(), received.responseTopic());
        assertArrayEquals(sent.correlationData(), received.correlationData());
        assertEquals(sent.expirySeconds(), received.expirySeconds());
        assertEquals(NOW, received.receivedNanos());
        assertEquals(Envelope.NOT_JOURNALED, received.journalSeq());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] set(byte[] b, int at, int value) {
        b[at] = (byte) value;
        return b;
    }

    private static byte[] putInt(byte[] b, int at, int value) {
        ByteBuffer.wrap(b).putInt(at, value);
        return b;
    }

    /** The topic's length becomes -1 (absent) and its bytes go. */
    private static byte[] withoutTopic(byte[] b, int at) {
        int length = ByteBuffer.wrap(b).getInt(at);
        byte[] out = new byte[b.length - length];
        System.arraycopy(b, 0, out, 0, at);
        ByteBuffer.wrap(out).putInt(at, -1);
        System.arraycopy(b, at + 4 + length, out, at + 4, b.length - at - 4 - length);
        return out;
    }

    /** One user property string fewer: the count says 1 and only the name stays. */
    private static byte[] oddUserProperties(byte[] b, int at) {
        byte[] out = new byte[b.length - 5];
        System.arraycopy(b, 0, out, 0, at + 4 + 5);
        ByteBuffer.wrap(out).putInt(at, 1);
        System.arraycopy(b, at + 4 + 10, out, at + 4 + 5, b.length - at - 4 - 10);
        return out;
    }
}
