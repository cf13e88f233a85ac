package io.hivemqsuite.extension.routing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a link does with control messages its client cannot take right now (full window, link down). */
class ControlOutboxTest {
    private final List<String> sent = new ArrayList<>();
    private boolean windowOpen = true;
    private final Predicate<ControlOutbox.Message> link = m -> {
        if (!windowOpen) {
            return false;
        }
        sent.add(new String(m.payload(), StandardCharsets.UTF_8));
        return true;
    };

    private static ControlOutbox.Message message(String text, Duration within) {
        return ControlOutbox.Message.of("hivemq-suite/s/nodes/1/sessions", text.getBytes(StandardCharsets.UTF_8), 1,
                "test " + text, within);
    }

    @Test
    void aMessageTheLinkTakesGoesOutAtOnce() {
        ControlOutbox outbox = new ControlOutbox(1);
        outbox.offer(message("claim", Duration.ofSeconds(3)), link);
        assertEquals(List.of("claim"), sent);
        assertTrue(outbox.isEmpty());
    }

    @Test
    void aFullWindowKeepsMessagesInOrderUntilTheLinkTakesThem() {
        ControlOutbox outbox = new ControlOutbox(1);
        windowOpen = false;
        outbox.offer(message("held", Duration.ofSeconds(3)), link);
        windowOpen = true;
        // Nothing overtakes what already waits, even when the window has room again.
        outbox.offer(message("release", Duration.ofSeconds(3)), link);
        assertEquals(List.of(), sent);
        assertFalse(outbox.isEmpty());

        outbox.flush(link);
        assertEquals(List.of("held", "release"), sent);
        assertTrue(outbox.isEmpty());
    }

    @Test
    void aMessagePastItsDeadlineIsDroppedAndTheNextStillGoes() throws InterruptedException {
        ControlOutbox outbox = new ControlOutbox(1);
        windowOpen = false;
        outbox.offer(message("claim", Duration.ofMillis(1)), link);
        outbox.offer(message("queued", Duration.ofMinutes(5)), link);
        Thread.sleep(20);
        windowOpen = true;
        outbox.flush(link);
        assertEquals(List.of("queued"), sent, "a late claim must not reach the peer");
    }

    @Test
    void aFlushStopsAtTheFirstMessageTheLinkRefuses() {
        ControlOutbox outbox = new ControlOutbox(1);
        windowOpen = false;
        outbox.offer(message("a", Duration.ofSeconds(3)), link);
        outbox.offer(message("b", Duration.ofSeconds(3)), link);
        outbox.flush(link);
        assertEquals(List.of(), sent);
        windowOpen = true;
        outbox.flush(link);
        assertEquals(List.of("a", "b"), sent);
    }
}
