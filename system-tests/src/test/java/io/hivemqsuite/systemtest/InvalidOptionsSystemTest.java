package io.hivemqsuite.systemtest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is refused with the field named and changes nothing: no folder, no process. */
class InvalidOptionsSystemTest {
    private Path home;

    @BeforeEach
    void freshHome() throws IOException {
        home = Files.createTempDirectory("hivemq-suite-st-bad-").toAbsolutePath();
    }

    @AfterEach
    void cleanUp() throws IOException {
        SuiteProcesses.killAll(home.toString());
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void invalidOptionsFileIsRefusedAndNothingStarts() throws IOException {
        Path options = Files.writeString(home.resolve("options.json"),
                "{\"node\": {\"count\": 0, \"heap\": 128}, \"hivemq\": {\"hivemq_log_level\": \"CHATTY\"}}");

        Cli.Result result = new Cli(home).run("install", "--options", options.toString());

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("node.count: "), "names the field and the reason:\n" + result);
        assertTrue(result.err().contains("hivemq.hivemq_log_level: "), "names every bad field:\n" + result);
        try (Stream<Path> entries = Files.list(home)) {
            assertEquals(List.of(options), entries.toList(), "no service folder is created");
        }
        assertEquals(List.of(), SuiteProcesses.containing(home.toString()), "no process is started");
    }

    @Test
    void heapThatDoesNotFitTheNodeIsRefused() throws IOException {
        Path options = Files.writeString(home.resolve("options.json"), "{\"node\": {\"mem\": 512, \"heap\": 1024}}");

        Cli.Result result = new Cli(home).run("install", "--options", options.toString());

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("node.heap: "), result.toString());
        assertEquals(List.of(), SuiteProcesses.containing(home.toString()));
    }

    @Test
    void mesosModeWithoutAReachableMasterIsRefusedNamingTheMaster() throws IOException {
        // port 1 on loopback: nothing listens, the connection is refused at once
        Path options = Files.writeString(home.resolve("options.json"),
                "{\"service\": {\"name\": \"m1\", \"mode\": \"mesos\", \"mesos_master\": \"http://127.0.0.1:1\"}}");

        Cli.Result result = new Cli(home).run("install", "--options", options.toString());

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("service.mesos_master")
                && result.err().contains("http://127.0.0.1:1"), "names the option and the master URL:\n" + result);
        try (Stream<Path> entries = Files.list(home)) {
            assertEquals(List.of(options), entries.toList(), "no service folder is created");
        }
        assertEquals(List.of(), SuiteProcesses.containing(home.toString()), "no process is started");
    }
}
