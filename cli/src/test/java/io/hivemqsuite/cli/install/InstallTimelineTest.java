package io.hivemqsuite.cli.install;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallTimelineTest {
    /**
     * The timeline counts from the CLI's process start: taken from the boot time in whole seconds, as the JDK's
     * ProcessHandle does, every mark came out up to a second late. The JVM's own record of its creation (a few ms
     * after the process started, at ms resolution) is the reference.
     */
    @Test
    void countsFromTheProcessStartNotASecondEarlier() {
        Instant jvmCreated = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        Instant processStart = InstallTimeline.processStart();

        Duration beforeJvm = Duration.between(processStart, jvmCreated);
        assertTrue(beforeJvm.compareTo(Duration.ofMillis(-20)) >= 0,
                "process start " + processStart + " after the JVM's creation " + jvmCreated);
        assertTrue(beforeJvm.compareTo(Duration.ofMillis(300)) <= 0,
                "process start " + processStart + " taken " + beforeJvm.toMillis() + " ms before the JVM's creation "
                        + jvmCreated);
    }
}
