package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliRun;
import io.hivemqsuite.protocol.dist.SchedulerEndpoint;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallCommandTest {
    @TempDir
    Path home;

    @TempDir
    Path dist;

    @BeforeEach
    void useTempHome() {
        System.setProperty("hivemq.suite.home", home.toString());
        // an empty distribution: an install that got past validation would fail on the missing scheduler jar
        System.setProperty("hivemq.suite.dist", dist.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("hivemq.suite.home");
        System.clearProperty("hivemq.suite.dist");
    }

    @Test
    void badOptionsFileIsRefusedWithEveryFieldAndNothingIsWritten() throws IOException {
        Path options = home.resolveSibling(home.getFileName() + "-options.json");
        Files.writeString(options, "{\"node\": {\"count\": 0}, \"hivemq\": {\"hivemq_log_level\": \"LOUD\"}}");
        try {
            CliRun run = CliRun.of("install", "--options", options.toString());

            assertEquals(1, run.exitCode(), run.err());
            assertTrue(run.err().contains("node.count: "), run.err());
            assertTrue(run.err().contains("hivemq.hivemq_log_level: "), run.err());
            assertEquals(0, Files.list(home).count(), "nothing may be written on bad input");
        } finally {
            Files.deleteIfExists(options);
        }
    }

    @Test
    void optionsThatAreNotJsonAreRefusedWithWhere() throws IOException {
        Path options = Files.writeString(dist.resolve("broken.json"), "{\"node\": {\"count\": 3,}");
        CliRun run = CliRun.of("install", "--options", options.toString());

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("line 1"), run.err());
        assertEquals(0, Files.list(home).count());
    }

    @Test
    void missingOptionsFileIsNamed() throws IOException {
        CliRun run = CliRun.of("install", "--options", dist.resolve("nope.json").toString());

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("--options: file "), run.err());
        assertEquals(0, Files.list(home).count());
    }

    @Test
    void invalidNameIsRefusedAsServiceName() throws IOException {
        CliRun run = CliRun.of("--name", "Not_A_Name", "install");

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("service.name: "), run.err());
        assertEquals(0, Files.list(home).count());
    }

    @Test
    void nameOptionOverridesTheOptionsFile() throws IOException {
        Path options = Files.writeString(dist.resolve("o.json"), "{\"service\": {\"name\": \"from-file\"}, \"node\": {\"count\": 1}}");

        ServiceOptions fromFile = InstallCommand.readOptions(options, null);
        ServiceOptions overridden = InstallCommand.readOptions(options, "from-flag");

        assertEquals("from-file", fromFile.service().name());
        assertEquals("from-flag", overridden.service().name());
        assertEquals(1, overridden.node().count());
        assertThrows(OptionsException.class, () -> InstallCommand.readOptions(options, "UPPER"));
    }

    @Test
    void installWithoutABuiltSchedulerSaysWhatToBuildAndWritesNothing() throws IOException {
        CliRun run = CliRun.of("install");

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("quarkus-run.jar is missing"), run.err());
        assertEquals(0, Files.list(home).count());
    }

    @Test
    void installIsRefusedWhileTheServiceRuns() throws IOException {
        Path serviceDir = Files.createDirectories(home.resolve("hivemq"));
        // this very JVM stands in for a live scheduler
        new SchedulerEndpoint("hivemq", "http://127.0.1.200:8080", "t", ProcessHandle.current().pid(), 1)
                .write(serviceDir.resolve("scheduler.json"));

        CliRun run = CliRun.of("install");

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("already installed"), run.err());
        assertEquals(1, Files.list(serviceDir).count(), "the running service's folder stays untouched");
    }

    @Test
    void leftoverFolderOfADeadServiceAsksForUninstall() throws IOException {
        Path serviceDir = Files.createDirectories(home.resolve("hivemq"));
        new SchedulerEndpoint("hivemq", "http://127.0.1.200:8080", "t", Long.MAX_VALUE - 1, 1)
                .write(serviceDir.resolve("scheduler.json"));

        CliRun run = CliRun.of("install");

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("uninstall"), run.err());
    }

    @Test
    void slotsOfOtherServicesAreSkipped() throws IOException {
        for (int slot : new int[]{1, 2, 4}) {
            new SchedulerEndpoint("s" + slot, "http://x", "t", 1, slot)
                    .write(home.resolve("s" + slot).resolve("scheduler.json"));
        }
        assertEquals(java.util.Set.of(1, 2, 4), SlotPicker.takenSlots(home));
        int picked = SlotPicker.pick(home);
        assertFalse(picked == 1 || picked == 2 || picked == 4);
    }
}
