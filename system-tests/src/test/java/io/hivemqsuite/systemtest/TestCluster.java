package io.hivemqsuite.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A small cluster of one test class in its own suite home: installed by the real CLI, always uninstalled, and
 * whatever is left of the home's processes killed afterwards.
 */
final class TestCluster implements AutoCloseable {
    final Path home;
    final Cli cli;

    TestCluster(String prefix) throws IOException {
        home = Files.createTempDirectory(prefix).toAbsolutePath();
        cli = new Cli(home);
    }

    /** The options of a service of {@code nodes} small nodes (512 MB, 128 MB heap), as JSON. */
    static String smallNodes(String service, int nodes) {
        return "{\"service\": {\"name\": \"" + service + "\"}, \"node\": {\"count\": " + nodes
                + ", \"mem\": 512, \"heap\": 128}}";
    }

    /** Installs a service with these options (JSON) and answers it; fails the caller when the install fails. */
    InstalledService install(String name, String optionsJson) throws IOException {
        return install(name, optionsJson, java.util.Map.of());
    }

    /** With environment variables for the installed service's processes (they inherit the CLI's). */
    InstalledService install(String name, String optionsJson, java.util.Map<String, String> environment)
            throws IOException {
        Path options = Files.writeString(home.resolveSibling(home.getFileName() + "-" + name + ".json"), optionsJson);
        Cli.Result result = cli.run(Duration.ofMinutes(5), environment, "install", "--options", options.toString(),
                "--timeout", "240");
        Files.deleteIfExists(options);
        assertEquals(0, result.exitCode(), "install of " + name + ":\n" + result);
        return InstalledService.read(home, name);
    }

    Cli.Result run(String... args) {
        return cli.run(Duration.ofMinutes(2), args);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> services = Files.list(home)) {
            for (Path dir : services.filter(d -> Files.isRegularFile(d.resolve("scheduler.json"))).toList()) {
                InstalledService.read(home, dir.getFileName().toString())
                        .keepLogs(Path.of("target", "system-test-logs", home.getFileName().toString(),
                                dir.getFileName().toString()));
                cli.run(Duration.ofMinutes(2), "--name", dir.getFileName().toString(), "uninstall");
            }
        } finally {
            SuiteProcesses.killAll(home.toString());
            if (Files.exists(home)) {
                try (Stream<Path> files = Files.walk(home)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }
}
