package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;

import java.time.Duration;

/** The one time budget of an install, shared by its waits. */
record Deadline(Duration total, long endNanos) {
    Deadline(Duration total) {
        this(total, System.nanoTime() + total.toNanos());
    }

    boolean passed() {
        return System.nanoTime() - endNanos > 0;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
