package io.hivemqsuite.extension.routing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/**
 * What a peer has yet to receive, in publish order, bounded by count and bytes. On overflow the OLDEST envelopes
 * go: a peer that comes back after a long absence is better served by the recent state than by the start of a
 * backlog it can no longer complete. The queue itself is memory; its QoS 1/2 envelopes are also in the origin's
 * {@link RouteJournal}, and every copy that leaves this queue for good (acknowledged by the peer, dropped, expired)
 * is reported through {@link #settle}.
 */
final class PeerQueue {
    private static final Logger LOG = Logger.getLogger(PeerQueue.class.getName());

    private final int peer;
    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Envelope> queue = new ArrayDeque<>();
    private final LongConsumer settled;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;
    private boolean overflowing;

    final AtomicLong enqueued = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    /** @param settled told the journal sequence of each copy that is done with (see {@link #settle}) */
    PeerQueue(int peer, int maxMessages, long maxBytes, LongConsumer settled) {
        this.peer = peer;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.settled = settled;
    }

    /** This peer's copy of a journaled envelope is done with: acknowledged, dropped or expired. */
    void settle(Envelope envelope) {
        if (envelope.journalSeq() != Envelope.NOT_JOURNALED) {
            settled.accept(envelope.journalSeq());
        }
    }

    /** The peer left the topology: nothing queued for it will ever be sent. */
    void abandon() {
        lock.lock();
        try {
            queue.forEach(this::settle);
            queue.clear();
            bytes = 0;
        } finally {
            lock.unlock();
        }
    }

    void offer(Envelope envelope) {
        lock.lock();
        try {
            queue.addLast(envelope);
            bytes += envelope.size();
            enqueued.incrementAndGet();
            long droppedNow = 0;
            while (queue.size() > 1 && (queue.size() > maxMessages || bytes > maxBytes)) {
                Envelope oldest = queue.removeFirst();
                bytes -= oldest.size();
                settle(oldest);
                droppedNow++;
            }
            if (droppedNow > 0) {
                dropped.addAndGet(droppedNow);
                if (!overflowing) {
                    // One line per episode, not per message: a peer away for an hour must not flood the log.
                    overflowing = true;
                    LOG.warning("routing queue for node " + peer + " is full (" + maxMessages + " messages / "
                            + maxBytes + " bytes): dropping the oldest messages until it drains");
                }
            }
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    Envelope poll(long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (queue.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Envelope e = queue.removeFirst();
            bytes -= e.size();
            if (overflowing && queue.size() < maxMessages / 2 && bytes < maxBytes / 2) {
                overflowing = false;
                LOG.info("routing queue for node " + peer + " drained below half; " + dropped.get()
                        + " messages dropped so far");
            }
            return e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code millis} for the first envelope, then takes whatever else is queued right now, up to the
     * limits: under load a batch fills by itself, when idle a single envelope leaves at once (no added latency).
     */
    List<Envelope> pollBatch(long millis, int maxCount, long maxBytesPerBatch) throws InterruptedException {
        Envelope first = poll(millis);
        if (first == null) {
            return List.of();
        }
        List<Envelope> batch = new ArrayList<>();
        batch.add(first);
        long size = first.size();
        lock.lock();
        try {
            while (batch.size() < maxCount && !queue.isEmpty() && size + queue.peekFirst().size() <= maxBytesPerBatch) {
                Envelope e = queue.removeFirst();
                bytes -= e.size();
                size += e.size();
                batch.add(e);
            }
        } finally {
            lock.unlock();
        }
        return batch;
    }

    /** Puts back a batch the link could not take, first in line and in order. */
    void pushBack(List<Envelope> batch) {
        lock.lock();
        try {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
                bytes += batch.get(i).size();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Puts back an envelope the link could not take, so order is kept. */
    void pushBack(Envelope envelope) {
        lock.lock();
        try {
            queue.addFirst(envelope);
            bytes += envelope.size();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
