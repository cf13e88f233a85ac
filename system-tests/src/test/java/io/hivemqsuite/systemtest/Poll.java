package io.hivemqsuite.systemtest;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline instead of sleeping a guessed time. */
final class Poll {
    private Poll() {
    }

    /** Returns the first non-null, non-false value of {@code probe}; fails with the last problem at the deadline. */
    static <T> T until(Duration timeout, String what, Callable<T> probe) {
        long end = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (true) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
                last = value;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + " (last: " + last + ")", last instanceof Throwable t ? t : null);
            }
            sleep(250);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
