package io.hivemqsuite.scheduler.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Each test run starts from an empty state store: a previous run's plan progress must not leak in. */
public class FreshTestHome implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Path home = Path.of("target/test-home");
        if (Files.exists(home)) {
            try (Stream<Path> walk = Files.walk(home)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("suite.uninstall.exit", "false");
    }

    @Override
    public void stop() {
    }
}
