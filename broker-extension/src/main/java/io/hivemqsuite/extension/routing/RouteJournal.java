package io.hivemqsuite.extension.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * What this node still owes its peers, on disk: a QoS 1/2 publish that the origin acknowledged to its client must
 * reach the peers even if the origin broker dies before its links delivered it (the peer queues live in memory).
 *
 * <p>The router appends each QoS 1/2 envelope once, with the peers it was queued for, before the interceptor
 * returns, so before the publisher's PUBACK. Each peer {@linkplain #settled settles} its copy when the link's batch
 * is acknowledged by the peer, or when the copy is dropped (queue overflow) or expires. Per peer, a mark (up to
 * where all of its copies are settled) is persisted every {@link Router} tick, and segments wholly below the lowest
 * mark are deleted. On start, each record above a peer's mark is queued again for that peer: at least once (a copy
 * in flight at the crash, or settled out of order above the mark, comes twice), never zero times.
 *
 * <p>Writes go to the page cache without fsync: a killed broker process loses nothing, a machine that loses power
 * may (as for HiveMQ CE's own persistence in its default setting).
 *
 * <p>Record: {@code int length, long seq, int crc, int peerCount, int peer..., byte[] batch-of-one envelope}.
 */
final class RouteJournal implements AutoCloseable {
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";
    private static final String MARK_FILE = "mark";
    private static final long SEGMENT_BYTES = 8L * 1024 * 1024;

    /** A record read back at start: the envelope and the peers it was still owed to. */
    record Pending(long seq, Envelope envelope, int[] peers) {
    }

    private final Path dir;
    /** per peer: the sequences of its copies not settled yet */
    private final Map<Integer, NavigableSet<Long>> open = new ConcurrentHashMap<>();
    private long nextSeq;
    private FileChannel segment;
    private volatile String persistedMarks = "";

    private RouteJournal(Path dir, long nextSeq) {
        this.dir = dir;
        this.nextSeq = nextSeq;
    }

    /**
     * Opens the journal in {@code dir} and returns what was still owed, per peer, when the broker last stopped;
     * the caller queues it again (and settles the copies it cannot queue, e.g. for a peer that left).
     */
    static RouteJournal open(Path dir, List<Pending> owed) {
        try {
            Files.createDirectories(dir);
            Map<Integer, Long> marks = new HashMap<>();
            long all = readMarks(dir, marks);
            long highest = all;
            for (Path file : segments(dir)) {
                for (Pending p : read(file)) {
                    highest = Math.max(highest, p.seq());
                    int[] stillOwed = Arrays.stream(p.peers()).filter(peer -> p.seq() > marks.getOrDefault(peer, all))
                            .toArray();
                    if (stillOwed.length > 0) {
                        owed.add(new Pending(p.seq(), p.envelope(), stillOwed));
                    }
                }
            }
            RouteJournal journal = new RouteJournal(dir, highest + 1);
            for (Pending p : owed) {
                for (int peer : p.peers()) {
                    journal.openFor(peer).add(p.seq());
                }
            }
            journal.startSegment(journal.nextSeq);
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the routing journal in " + dir, e);
        }
    }

    /** Appends one envelope owed to {@code peers}; returns its sequence number for {@link #settled}. */
    synchronized long append(Envelope envelope, int[] peers, long nowNanos) {
        long seq = nextSeq++;
        byte[] body = Envelope.encodeBatch(List.of(envelope), Arrays.asList(envelope.remainingExpirySeconds(nowNanos)));
        ByteBuffer buffer = ByteBuffer.allocate(4 + 8 + 4 + 4 + 4 * peers.length + body.length);
        buffer.putInt(buffer.capacity() - 4).putLong(seq).putInt(0).putInt(peers.length);
        for (int peer : peers) {
            buffer.putInt(peer);
        }
        buffer.put(body);
        buffer.putInt(12, crc(buffer.array(), 16, buffer.capacity() - 16));
        buffer.flip();
        for (int peer : peers) {
            openFor(peer).add(seq);
        }
        try {
            if (segment.position() > SEGMENT_BYTES) {
                segment.close();
                startSegment(seq);
            }
            while (buffer.hasRemaining()) {
                segment.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the routing journal", e);
        }
        return seq;
    }

    /** The peer's copy is delivered, dropped or expired. */
    void settled(int peer, long seq) {
        NavigableSet<Long> owed = open.get(peer);
        if (owed != null) {
            owed.remove(seq);
        }
    }

    /** Copies not settled yet, over all peers (for the counters). */
    long owed() {
        return open.values().stream().mapToLong(Set::size).sum();
    }

    /**
     * Persists each peer's mark (everything up to it is settled for that peer) when one moved, and deletes the
     * segments wholly below the lowest; called periodically. Per peer, so a peer that is away long does not make
     * an origin crash replay to the others what they already have.
     */
    void checkpoint() {
        Map<Integer, Long> marks = new TreeMap<>();
        long last;
        synchronized (this) {
            last = nextSeq - 1;
            open.forEach((peer, owed) -> marks.put(peer, owed.isEmpty() ? last : owed.first() - 1));
        }
        long all = marks.values().stream().mapToLong(Long::longValue).min().orElse(last);
        StringBuilder text = new StringBuilder("all ").append(all).append('\n');
        marks.forEach((peer, mark) -> text.append(peer).append(' ').append(mark).append('\n'));
        if (text.toString().equals(persistedMarks)) {
            return;
        }
        try {
            Path tmp = dir.resolve(MARK_FILE + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(MARK_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            persistedMarks = text.toString();
            List<Path> segments = segments(dir);
            // A segment can go when the next one starts at or below all + 1: every copy in it is settled.
            for (int i = 0; i + 1 < segments.size(); i++) {
                if (firstSeq(segments.get(i + 1)) <= all + 1) {
                    Files.deleteIfExists(segments.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot checkpoint the routing journal in " + dir, e);
        }
    }

    private NavigableSet<Long> openFor(int peer) {
        return open.computeIfAbsent(peer, p -> new ConcurrentSkipListSet<>());
    }

    @Override
    public synchronized void close() {
        try {
            checkpoint();
        } catch (UncheckedIOException ignored) {
            // the next start replays a little more
        }
        try {
            segment.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Every open starts a new segment, so nothing is ever written after a torn tail. At open, a file already named
     * for the next sequence can only hold a torn first record (a whole one would have raised it): replaced.
     */
    private void startSegment(long firstSeq) throws IOException {
        segment = FileChannel.open(dir.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, firstSeq, SEGMENT_SUFFIX)),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Fills per-peer marks and returns the lowest ("all"); -1 (replay everything) when missing or unreadable. */
    private static long readMarks(Path dir, Map<Integer, Long> marks) throws IOException {
        Path file = dir.resolve(MARK_FILE);
        if (!Files.exists(file)) {
            return -1;
        }
        long all = -1;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split(" ");
                if (parts.length != 2) {
                    continue;
                }
                if (parts[0].equals("all")) {
                    all = Long.parseLong(parts[1]);
                } else {
                    marks.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                }
            }
        } catch (NumberFormatException e) {
            marks.clear();
            return -1; // replay everything: duplicates, not loss
        }
        return all;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX);
            }).sorted().toList();
        }
    }

    private static long firstSeq(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length()));
    }

    /** Every whole, intact record; a torn tail (the process died mid-write) or a corrupt record ends the segment. */
    static List<Pending> read(Path file) throws IOException {
        List<Pending> records = new ArrayList<>();
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        long now = System.nanoTime();
        while (all.remaining() >= 4) {
            int length = all.getInt();
            if (length < 16 || length > all.remaining()) {
                break;
            }
            int start = all.position();
            long seq = all.getLong();
            int crc = all.getInt();
            if (crc != crc(all.array(), start + 12, length - 12)) {
                break;
            }
            int count = all.getInt();
            if (count < 0 || count > (length - 16) / 4) {
                break;
            }
            int[] peers = new int[count];
            for (int i = 0; i < count; i++) {
                peers[i] = all.getInt();
            }
            byte[] body = new byte[start + length - all.position()];
            all.get(body);
            List<Envelope> envelopes = Envelope.decodeBatch(body, now);
            if (envelopes == null || envelopes.size() != 1) {
                break;
            }
            records.add(new Pending(seq, envelopes.get(0), peers));
        }
        return records;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
