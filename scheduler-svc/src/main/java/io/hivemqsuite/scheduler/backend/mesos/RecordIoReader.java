package io.hivemqsuite.scheduler.backend.mesos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads the RecordIO framing of the Mesos event stream, {@code <decimal length>\n<length bytes>}, one record at a
 * time. A record may arrive in pieces (chunked HTTP, TCP segments): reads block until the record is whole.
 */
final class RecordIoReader {
    /** Far above any event Mesos sends; guards against a corrupt length eating all memory. */
    private static final long MAX_RECORD = 64L * 1024 * 1024;

    private final InputStream in;

    RecordIoReader(InputStream in) {
        this.in = in;
    }

    /** The next record; empty at the clean end of the stream (between records). */
    Optional<byte[]> next() throws IOException {
        long length = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (digits == 0) {
                    return Optional.empty();
                }
                throw new EOFException("stream ended inside a record length");
            }
            if (b == '\n') {
                break;
            }
            if (b < '0' || b > '9') {
                throw new IOException("not RecordIO: byte " + b + " in a record length");
            }
            length = length * 10 + (b - '0');
            digits++;
            if (length > MAX_RECORD) {
                throw new IOException("RecordIO record of more than " + MAX_RECORD + " bytes");
            }
        }
        if (digits == 0) {
            throw new IOException("not RecordIO: empty record length");
        }
        byte[] record = in.readNBytes((int) length);
        if (record.length < length) {
            throw new EOFException("stream ended after " + record.length + " of " + length + " record bytes");
        }
        return Optional.of(record);
    }
}
