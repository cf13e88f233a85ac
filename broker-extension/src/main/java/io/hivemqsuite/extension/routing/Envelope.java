package io.hivemqsuite.extension.routing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * {@code hivemq-suite/<svc>/route/<origin>/<flags>/<originTimeMillis>/<original topic>}. The routing facts
     * travel in the topic, not in user properties, so the user properties a subscriber receives stay exactly the
     * publisher's (no names reserved, nothing to strip). Flags: the QoS digit, then {@code r} for retain and
     * {@code c} for a catch-up copy.
     */
    String envelopeTopic(String routePrefixOfOrigin) {
        return routePrefixOfOrigin + qos + (retain ? "r" : "") + (catchUp ? "c" : "") + "/" + originTimeMillis + "/" + topic;
    }

    /** What a receiving node reads back from an envelope topic (after the service's route prefix). */
    record Header(int origin, int qos, boolean retain, boolean catchUp, long originTimeMillis, String topic) {
        /** @param rest the envelope topic without {@code hivemq-suite/<svc>/route/}; null when malformed */
        static Header parse(String rest) {
            String[] parts = rest.split("/", 4);
            if (parts.length < 4 || parts[1].isEmpty() || parts[3].isEmpty()) {
                return null;
            }
            try {
                String flags = parts[1];
                int qos = flags.charAt(0) - '0';
                if (qos < 0 || qos > 2) {
                    return null;
                }
                return new Header(Integer.parseInt(parts[0]), qos, flags.indexOf('r') > 0, flags.indexOf('c') > 0,
                        Long.parseLong(parts[2]), parts[3]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(BATCH_FORMAT);
            out.writeInt(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Envelope e = batch.get(i);
                Long expiry = remainingExpiry.get(i);
                out.writeByte(e.qos);
                out.writeByte((e.retain ? 1 : 0) | (e.catchUp ? 2 : 0) | (expiry != null ? 4 : 0)
                        | (e.utf8Payload != null ? 8 : 0) | (Boolean.TRUE.equals(e.utf8Payload) ? 16 : 0));
                out.writeLong(e.originTimeMillis);
                string(out, e.topic);
                blob(out, e.payload);
                out.writeInt(e.userProperties.size());
                for (String p : e.userProperties) {
                    string(out, p);
                }
                string(out, e.contentType);
                string(out, e.responseTopic);
                blob(out, e.correlationData);
                if (expiry != null) {
                    out.writeLong(expiry);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the envelopes in order, or null when the bytes are not a batch this version can read */
    static List<Envelope> decodeBatch(byte[] payload, long nowNanos) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            if (in.readByte() != BATCH_FORMAT) {
                return null;
            }
            int count = in.readInt();
            if (count < 0 || count > payload.length) {
                return null;
            }
            List<Envelope> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int qos = in.readByte();
                int flags = in.readByte();
                long origin = in.readLong();
                String topic = string(in);
                byte[] body = blob(in);
                int users = in.readInt();
                if (users < 0 || users > payload.length) {
                    return null;
                }
                List<String> user = new ArrayList<>(users);
                for (int u = 0; u < users; u++) {
                    user.add(string(in));
                }
                String contentType = string(in);
                String responseTopic = string(in);
                byte[] correlation = blob(in);
                Long expiry = (flags & 4) != 0 ? in.readLong() : null;
                Boolean utf8 = (flags & 8) != 0 ? (flags & 16) != 0 : null;
                list.add(new Envelope(topic, body == null ? new byte[0] : body, qos, (flags & 1) != 0,
                        (flags & 2) != 0, origin, List.copyOf(user), contentType, utf8, responseTopic, correlation,
                        expiry, nowNanos, NOT_JOURNALED));
            }
            return list;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        blob(out, s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] b = blob(in);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void blob(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] blob(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
