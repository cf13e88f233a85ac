package io.hivemqsuite.extension.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SUBACK waits for every reachable peer to route by the new digest, and only for that. */
class DigestAcksTest {

    @Test
    void waitsUntilEveryPeerAppliedTheVersionOrALaterOne() {
        DigestAcks acks = new DigestAcks();
        CompletableFuture<Void> suback = acks.await(10, List.of(1, 2));
        assertFalse(suback.isDone());
        acks.received(DigestAcks.encode(1, 10));
        assertFalse(suback.isDone(), "peer 2 has not applied it yet");
        acks.received(DigestAcks.encode(2, 9));
        assertFalse(suback.isDone(), "an older digest does not hold the new filters");
        acks.received(DigestAcks.encode(2, 11));
        assertTrue(suback.isDone());
    }

    @Test
    void anAckThatCameBeforeTheWaitCountsAndNoPeersMeansNoWait() {
        DigestAcks acks = new DigestAcks();
        acks.acked(1, 12);
        assertTrue(acks.await(12, List.of(1)).isDone());
        assertTrue(acks.await(13, List.of()).isDone());
        assertFalse(acks.await(13, List.of(1)).isDone());
    }

    @Test
    void aPeerThatLeftIsNoLongerWaitedFor() {
        DigestAcks acks = new DigestAcks();
        CompletableFuture<Void> suback = acks.await(5, List.of(3));
        acks.forget(3);
        assertTrue(suback.isDone());
    }

    @Test
    void malformedAcksChangeNothing() {
        DigestAcks acks = new DigestAcks();
        CompletableFuture<Void> suback = acks.await(5, List.of(1));
        for (String bad : List.of("", "1", "x 5", "1 y", "1 5 7", "\0\0")) {
            acks.received(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertFalse(suback.isDone());
    }
}
