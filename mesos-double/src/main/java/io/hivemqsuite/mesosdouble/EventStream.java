package io.hivemqsuite.mesosdouble;

import com.sun.net.httpserver.HttpExchange;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The open answer to a SUBSCRIBE: a chunked HTTP body of RecordIO records ({@code <length>\n<bytes>}), one per
 * event, as the Mesos master streams them. A failed write means the scheduler is gone: the stream is closed.
 */
final class EventStream {
    private final HttpExchange exchange;
    private final OutputStream out;
    final String streamId;
    private volatile boolean open = true;
    /** Cleared by the fault "heartbeats stopped": the connection stays, but goes silent. */
    volatile boolean heartbeats = true;

    EventStream(HttpExchange exchange, String streamId) {
        this.exchange = exchange;
        this.out = exchange.getResponseBody();
        this.streamId = streamId;
    }

    boolean isOpen() {
        return open;
    }

    synchronized boolean send(Event event) {
        if (!open) {
            return false;
        }
        byte[] body = event.toByteArray();
        try {
            out.write((body.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            out.close();
        } catch (IOException ignored) {
            // the peer is gone already
        }
        exchange.close();
    }
}
