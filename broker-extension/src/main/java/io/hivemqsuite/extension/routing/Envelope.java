package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.publish.RetainedPublish;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One routed publish on its way to a peer, with everything the peer needs to publish it again as the original
 * client did. Immutable: the same envelope object sits in several peers' queues.
 *
 * @param topic           the original topic
 * @param payload         the original payload, unchanged
 * @param qos             the original QoS (0, 1, 2); the link carries QoS 2 as 1, the peer republishes with this
 * @param retain          the original retain flag: the peer stores (or, with an empty payload, clears) it too
 * @param catchUp         a retained message sent to a joining node: stored only where the topic has none yet
 * @param originTimeMillis when the origin broker received the publish
 * @param userProperties  name, value, name, value, ... in their original order
 * @param expirySeconds   the original message expiry interval, or null for none
 * @param receivedNanos   System.nanoTime() at the origin, to subtract the time spent queued from the expiry
 * @param journalSeq      its record in the origin's {@link RouteJournal}, -1 when not journaled (QoS 0, catch-up,
 *                        received from a peer); never sent over a link
 */
record Envelope(String topic, byte[] payload, int qos, boolean retain, boolean catchUp, long originTimeMillis,
                List<String> userProperties, String contentType, Boolean utf8Payload, String responseTopic,
                byte[] correlationData, Long expirySeconds, long receivedNanos, long journalSeq) {

    static final long NOT_JOURNALED = -1;
    /** How HiveMQ reports "no expiry": the MQTT maximum. Only a real interval needs counting down. */
    private static final long NO_EXPIRY = 4_294_967_295L;

    /**
     * A client's publish as it leaves the origin: {@code userProperties} as they are to travel (the caller removed
     * what is the cluster's own), plus the shared-group owners the origin chose, if any.
     */
    static Envelope of(PublishPacket packet, List<UserProperty> userProperties, String sharedMarker,
                       long originTimeMillis) {
        List<String> user = new ArrayList<>();
        for (UserProperty p : userProperties) {
            user.add(p.getName());
            user.add(p.getValue());
        }
        if (sharedMarker != null) {
            user.add(SharedGroups.OWNER_PROPERTY);
            user.add(sharedMarker);
        }
        return new Envelope(packet.getTopic(), bytes(packet.getPayload()), packet.getQos().getQosNumber(),
                packet.getRetain(), false, originTimeMillis, List.copyOf(user),
                packet.getContentType().orElse(null),
                packet.getPayloadFormatIndicator().map(f -> f == PayloadFormatIndicator.UTF_8).orElse(null),
                packet.getResponseTopic().orElse(null),
                packet.getCorrelationData().map(Envelope::bytes).orElse(null),
                packet.getMessageExpiryInterval().filter(s -> s < NO_EXPIRY).orElse(null),
                System.nanoTime(), NOT_JOURNALED);
    }

    /** A stored retained message for a joining node (see {@link RetainedCatchUp}). */
    static Envelope catchUp(RetainedPublish retained) {
        List<String> user = new ArrayList<>();
        retained.getUserProperties().asList().forEach(p -> {
            user.add(p.getName());
            user.add(p.getValue());
        });
        return new Envelope(retained.getTopic(), bytes(retained.getPayload()), retained.getQos().getQosNumber(), true,
                true, System.currentTimeMillis(), List.copyOf(user), retained.getContentType().orElse(null),
                retained.getPayloadFormatIndicator().map(f -> f == PayloadFormatIndicator.UTF_8).orElse(null),
                retained.getResponseTopic().orElse(null),
                retained.getCorrelationData().map(Envelope::bytes).orElse(null),
                retained.getMessageExpiryInterval().filter(s -> s < NO_EXPIRY).orElse(null),
                System.nanoTime(), NOT_JOURNALED);
    }

    Envelope withJournalSeq(long seq) {
        return new Envelope(topic, payload, qos, retain, catchUp, originTimeMillis, userProperties, contentType,
                utf8Payload, responseTopic, correlationData, expirySeconds, receivedNanos, seq);
    }

    /** Bytes this envelope holds in memory, for the per-peer byte bound (payload dominates; headers estimated). */
    long size() {
        long size = payload.length + topic.length() + 64L;
        for (String p : userProperties) {
            size += p.length();
        }
        return size + (correlationData == null ? 0 : correlationData.length);
    }

    /** The expiry left after the time already spent; null for none, 0 or less when it expired on the way. */
    Long remainingExpirySeconds(long nowNanos) {
        if (expirySeconds == null) {
            return null;
        }
        return expirySeconds - (nowNanos - receivedNanos) / 1_000_000_000L;
    }

    /** Last segment of a batch's topic: {@code hivemq-suite/<svc>/route/<origin>/batch}. */
    static final String BATCH = "batch";
    private static final int BATCH_FORMAT = 1;

    /**
     * Several envelopes in one link message, in queue order. One link message per envelope capped the link at the
     * peer's receive maximum (10 by default in HiveMQ) envelopes per republish round trip: batching is what lets
     * the link keep up with a publisher (see README, benchmark). Each envelope keeps every field it has alone;
     * {@code expirySeconds} is already the remaining expiry at sending time.
     */
    static byte[] encodeBatch(List<Envelope> batch, List<Long> remainingExpiry) {
        // Strings are encoded once and the buffer is sized exactly: no stream, no growing, no final copy.
        int size = 5;
        byte[][] strings = new byte[batch.size() * 3][];
        for (int i = 0; i < batch.size(); i++) {
            Envelope e = batch.get(i);
            strings[3 * i] = utf8(e.topic);
            strings[3 * i + 1] = utf8(e.contentType);
            strings[3 * i + 2] = utf8(e.responseTopic);
            size += 2 + 8 + 4 * 5 + 4 + strings[3 * i].length + e.payload.length
                    + (strings[3 * i + 1] == null ? 0 : strings[3 * i + 1].length)
                    + (strings[3 * i + 2] == null ? 0 : strings[3 * i + 2].length)
                    + (e.correlationData == null ? 0 : e.correlationData.length)
                    + (remainingExpiry.get(i) != null ? 8 : 0);
            for (String p : e.userProperties) {
                size += 4 + utf8Length(p);
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) BATCH_FORMAT);
        out.putInt(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Envelope e = batch.get(i);
            Long expiry = remainingExpiry.get(i);
            out.put((byte) e.qos);
            out.put((byte) ((e.retain ? 1 : 0) | (e.catchUp ? 2 : 0) | (expiry != null ? 4 : 0)
                    | (e.utf8Payload != null ? 8 : 0) | (Boolean.TRUE.equals(e.utf8Payload) ? 16 : 0)));
            out.putLong(e.originTimeMillis);
            blob(out, strings[3 * i]);
            blob(out, e.payload);
            out.putInt(e.userProperties.size());
            for (String p : e.userProperties) {
                blob(out, utf8(p));
            }
            blob(out, strings[3 * i + 1]);
            blob(out, strings[3 * i + 2]);
            blob(out, e.correlationData);
            if (expiry != null) {
                out.putLong(expiry);
            }
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("batch size miscounted");
        }
        return out.array();
    }

    /**
     * @return the envelopes in order, or null when the bytes are not a batch this version can read: also when an
     *         envelope could not be published as it is (no topic, a QoS other than 0-2, a user property without its
     *         value) or bytes follow the last envelope, so a corrupt batch is refused whole, before any of it is
     *         republished
     */
    static List<Envelope> decodeBatch(byte[] payload, long nowNanos) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            if (in.get() != BATCH_FORMAT) {
                return null;
            }
            int count = in.getInt();
            if (count < 0 || count > payload.length) {
                return null;
            }
            List<Envelope> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int qos = in.get();
                int flags = in.get();
                long origin = in.getLong();
                String topic = string(in);
                if (qos < 0 || qos > 2 || topic == null) {
                    return null;
                }
                byte[] body = blob(in);
                int users = in.getInt();
                if (users < 0 || users > in.remaining() || users % 2 != 0) {
                    return null;
                }
                List<String> user;
                if (users == 0) {
                    user = List.of();
                } else {
                    String[] u = new String[users];
                    for (int k = 0; k < users; k++) {
                        u[k] = string(in);
                        if (u[k] == null) {
                            return null;
                        }
                    }
                    user = List.of(u);
                }
                String contentType = string(in);
                String responseTopic = string(in);
                byte[] correlation = blob(in);
                Long expiry = (flags & 4) != 0 ? in.getLong() : null;
                Boolean utf8 = (flags & 8) != 0 ? (flags & 16) != 0 : null;
                list.add(new Envelope(topic, body == null ? new byte[0] : body, qos, (flags & 1) != 0,
                        (flags & 2) != 0, origin, user, contentType, utf8, responseTopic, correlation,
                        expiry, nowNanos, NOT_JOURNALED));
            }
            return in.hasRemaining() ? null : list;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Encoded length; ASCII (the usual case) is counted without encoding. */
    private static int utf8Length(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
    }

    private static String string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        if (n > in.remaining()) {
            throw new IllegalArgumentException("truncated batch");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static void blob(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length);
            out.put(b);
        }
    }

    private static byte[] blob(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        if (n > in.remaining()) {
            throw new IllegalArgumentException("truncated batch");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** A copy of what an SDK buffer holds (the SDK's buffers are read-only views the broker may reuse). */
    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    /** An absent payload is an empty one. */
    static byte[] bytes(Optional<ByteBuffer> buffer) {
        return buffer.map(Envelope::bytes).orElse(new byte[0]);
    }

}
