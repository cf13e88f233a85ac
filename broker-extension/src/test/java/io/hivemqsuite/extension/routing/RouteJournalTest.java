package io.hivemqsuite.extension.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RouteJournalTest {

    private static Envelope envelope(String payload) {
        return new Envelope("t/" + payload, payload.getBytes(StandardCharsets.UTF_8), 1, false, false, 1L,
                List.of("k", "v"), "text/plain", true, null, null, 60L, System.nanoTime(), Envelope.NOT_JOURNALED);
    }

    @Test
    void whatNoPeerSettledComesBackAfterARestartInOrderWithItsPeers() {
        Path dir = tempDir.resolve("j1");
        RouteJournal journal = RouteJournal.open(dir, new ArrayList<>());
        long a = journal.append(envelope("a"), new int[]{1, 2}, System.nanoTime());
        long b = journal.append(envelope("b"), new int[]{1}, System.nanoTime());
        long c = journal.append(envelope("c"), new int[]{2}, System.nanoTime());
        journal.settled(1, a); // peer 1's copy of a
        journal.settled(1, b);
        journal.checkpoint();
        // crash: no close()

        List<RouteJournal.Pending> owed = new ArrayList<>();
        RouteJournal reopened = RouteJournal.open(dir, owed);
        assertEquals(List.of(a, c), owed.stream().map(RouteJournal.Pending::seq).toList(),
                "a (peer 2 never settled it) and c; b is done");
        assertArrayEquals(new int[]{2}, owed.get(0).peers(), "peer 1 has its copy of a");
        assertEquals("t/a", owed.get(0).envelope().topic());
        assertEquals(List.of("k", "v"), owed.get(0).envelope().userProperties());
        assertEquals(2, reopened.owed());
        long d = reopened.append(envelope("d"), new int[]{1}, System.nanoTime());
        assertEquals(c + 1, d, "sequence numbers continue");
    }

    @Test
    void aTornTailIsIgnoredAndSettledSegmentsAreDeleted() throws Exception {
        Path dir = tempDir.resolve("j2");
        RouteJournal journal = RouteJournal.open(dir, new ArrayList<>());
        long a = journal.append(envelope("a"), new int[]{1}, System.nanoTime());
        journal.append(envelope("b"), new int[]{1}, System.nanoTime());
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        // the process died in the middle of writing a third record
        Files.write(segment, new byte[]{0, 0, 0, 90, 1, 2, 3}, StandardOpenOption.APPEND);
        List<RouteJournal.Pending> owed = new ArrayList<>();
        RouteJournal reopened = RouteJournal.open(dir, owed);
        assertEquals(2, owed.size(), "both whole records, not the torn one");

        owed.forEach(p -> reopened.settled(1, p.seq()));
        reopened.append(envelope("c"), new int[]{1}, System.nanoTime());
        reopened.checkpoint();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("segment-")).count(),
                    "the settled segment is gone, the current one stays");
        }
        List<RouteJournal.Pending> again = new ArrayList<>();
        RouteJournal.open(dir, again);
        assertEquals(1, again.size());
        assertEquals("t/c", again.get(0).envelope().topic());
        assertEquals(a + 2, again.get(0).seq());
    }

    @TempDir
    Path tempDir;
}
