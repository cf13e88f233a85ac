package io.hivemqsuite.extension.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The control messages a {@link PeerLink} could not hand to its client at once: the peer's receive maximum was
 * used up by envelope batches (a peer that just restarted takes the replay of everything queued for it), or the
 * link was down. Dropping them lost session claims' answers and queue handovers exactly when nodes restart; kept
 * here, in order, they go out before the link's next batch. Each has a deadline after which it means nothing (a
 * claim nobody waits for any more must not disconnect a client that has since connected to that peer).
 */
final class ControlOutbox {
    private static final Logger LOG = Logger.getLogger(ControlOutbox.class.getName());

    /** One control message for the peer's router. */
    record Message(String topic, byte[] payload, int qos, String what, long deadlineNanos) {
        static Message of(String topic, byte[] payload, int qos, String what, Duration within) {
            return new Message(topic, payload, qos, what, System.nanoTime() + within.toNanos());
        }
    }

    private final int peer;
    private final ArrayDeque<Message> pending = new ArrayDeque<>();

    ControlOutbox(int peer) {
        this.peer = peer;
    }

    /**
     * Sends {@code message} now when nothing is waiting before it and {@code send} takes it, otherwise keeps it
     * behind the others.
     */
    synchronized void offer(Message message, Predicate<Message> send) {
        if (pending.isEmpty() && send.test(message)) {
            return;
        }
        pending.add(message);
    }

    /** Sends what waits, in order, until {@code send} refuses one; what is past its deadline is dropped. */
    synchronized void flush(Predicate<Message> send) {
        long now = System.nanoTime();
        while (!pending.isEmpty()) {
            Message head = pending.peek();
            if (now - head.deadlineNanos() > 0) {
                pending.poll();
                LOG.warning("cannot " + head.what() + " (node " + peer + "): not sent in time, dropped");
            } else if (send.test(head)) {
                pending.poll();
            } else {
                return;
            }
        }
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }
}
