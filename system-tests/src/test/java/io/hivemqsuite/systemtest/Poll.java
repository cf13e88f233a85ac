package io.hivemqsuite.systemtest;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Waits for observable state (Awaitility) instead of sleeping a guessed time. */
final class Poll {
    private Poll() {
    }

    /** Returns the first non-null, non-false value of {@code probe}; fails with the last problem at the deadline. */
    static <T> T until(Duration timeout, String what, Callable<T> probe) {
        return until(timeout, Duration.ofMillis(250), what, probe);
    }

    /** {@link #until(Duration, String, Callable)} probing every {@code interval}: for a test that times the state. */
    static <T> T until(Duration timeout, Duration interval, String what, Callable<T> probe) {
        AtomicReference<Object> last = new AtomicReference<>();
        try {
            return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(interval)
                    .until(() -> {
                        try {
                            T value = probe.call();
                            last.set(value);
                            return value;
                        } catch (Exception | AssertionError e) {
                            last.set(e);
                            return null;
                        }
                    }, value -> value != null && !Boolean.FALSE.equals(value));
        } catch (ConditionTimeoutException e) {
            Object problem = last.get();
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                    + " (last: " + problem + ")", problem instanceof Throwable t ? t : null);
        }
    }

    /**
     * "Nothing happens": {@code assertion} holds during the whole {@code period} (checked every 250 ms), and fails
     * with its own message as soon as it stops holding and does not hold again.
     */
    static void holds(Duration period, ThrowingRunnable assertion) {
        Awaitility.await().during(period).atMost(period.plus(Duration.ofSeconds(5)))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(assertion);
    }

    /** Pacing (a publisher's rate), never a wait for state: use {@link #until} or {@link #holds} for those. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
