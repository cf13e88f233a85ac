package io.hivemqsuite.endpoint.vip;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the client identifier from the first bytes a client sends: an MQTT CONNECT (3.1 "MQIsdp" level 3,
 * 3.1.1 level 4, 5 level 5). The VIP needs only the identifier, so it parses as far as the payload's first
 * field and leaves everything after it (will, user name, password) unread; the bytes themselves go unchanged to
 * the broker. Anything that is not a well-formed CONNECT up to the identifier is {@link Result#MALFORMED}: the
 * VIP closes such a connection rather than guess a node for it.
 */
public final class ConnectPacket {
    private ConnectPacket() {
    }

    /** Outcome of one attempt on the bytes buffered so far. */
    public record Result(Status status, String clientId) {
        public static final Result NEED_MORE = new Result(Status.NEED_MORE, null);
        public static final Result MALFORMED = new Result(Status.MALFORMED, null);
    }

    public enum Status { NEED_MORE, CLIENT_ID, MALFORMED }

    /**
     * @param bytes the connection's first bytes, as many as have arrived
     * @param length how many of them are valid
     */
    public static Result clientId(byte[] bytes, int length) {
        Reader in = new Reader(bytes, length);
        int type = in.u8();
        if (type < 0) {
            return Result.NEED_MORE;
        }
        if (type != 0x10) { // CONNECT, reserved flags 0
            return Result.MALFORMED;
        }
        long remaining = in.varInt();
        if (remaining == -1) {
            return Result.NEED_MORE;
        }
        if (remaining < 0) {
            return Result.MALFORMED;
        }
        long packetEnd = in.pos + remaining;
        int nameLength = in.u16();
        if (nameLength < 0) {
            return Result.NEED_MORE;
        }
        String name = in.string(nameLength);
        if (name == null) {
            return in.short_ ? Result.NEED_MORE : Result.MALFORMED;
        }
        int level = in.u8();
        if (level < 0) {
            return Result.NEED_MORE;
        }
        boolean known = ("MQTT".equals(name) && (level == 4 || level == 5)) || ("MQIsdp".equals(name) && level == 3);
        if (!known) {
            return Result.MALFORMED;
        }
        int flags = in.u8();
        if (flags < 0) {
            return Result.NEED_MORE;
        }
        if ((flags & 0x01) != 0) { // reserved bit must be 0
            return Result.MALFORMED;
        }
        if (in.skip(2) < 0) { // keep alive
            return Result.NEED_MORE;
        }
        if (level == 5) {
            long properties = in.varInt();
            if (properties == -1) {
                return Result.NEED_MORE;
            }
            if (properties < 0 || in.pos + properties > packetEnd) {
                return Result.MALFORMED;
            }
            if (in.skip((int) properties) < 0) {
                return Result.NEED_MORE;
            }
        }
        int idLength = in.u16();
        if (idLength < 0) {
            return Result.NEED_MORE;
        }
        if (in.pos + idLength > packetEnd) {
            return Result.MALFORMED;
        }
        String id = in.string(idLength);
        if (id == null) {
            return in.short_ ? Result.NEED_MORE : Result.MALFORMED;
        }
        return new Result(Status.CLIENT_ID, id);
    }

    private static final class Reader {
        final byte[] bytes;
        final int length;
        int pos;
        /** Set when a read failed for want of bytes (as opposed to bad bytes). */
        boolean short_;

        Reader(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        int u8() {
            return pos < length ? bytes[pos++] & 0xff : -1;
        }

        int u16() {
            if (pos + 2 > length) {
                return -1;
            }
            int value = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
            pos += 2;
            return value;
        }

        int skip(int n) {
            if (pos + n > length) {
                return -1;
            }
            pos += n;
            return n;
        }

        /** MQTT variable byte integer: -1 when more bytes are needed, -2 when longer than 4 bytes. */
        long varInt() {
            long value = 0;
            for (int i = 0; i < 4; i++) {
                int b = u8();
                if (b < 0) {
                    return -1;
                }
                value |= (long) (b & 0x7f) << (7 * i);
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            return -2;
        }

        String string(int n) {
            if (pos + n > length) {
                short_ = true;
                return null;
            }
            try {
                String s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes, pos, n)).toString();
                pos += n;
                return s;
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }
}
