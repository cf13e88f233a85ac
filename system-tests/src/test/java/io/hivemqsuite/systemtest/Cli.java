package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code hivemq} CLI jar as a user would, against one suite home. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Path dist() {
        String dist = System.getProperty("suite.dist", "..");
        return Path.of(dist).toAbsolutePath().normalize();
    }

    static Path jar() {
        return new LocalDistribution(dist()).cliJar();
    }

    private final Path home;

    Cli(Path home) {
        this.home = home;
    }

    Result run(Duration timeout, String... args) {
        return run(timeout, java.util.Map.of(), args);
    }

    /** With extra environment variables, e.g. the StatsD collector DC/OS would give the service. */
    Result run(Duration timeout, java.util.Map<String, String> environment, String... args) {
        if (!Files.isRegularFile(jar())) {
            throw new IllegalStateException(jar() + " is missing: run mvn install -DskipTests first");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("cli-out", ".txt");
            Path err = Files.createTempFile("cli-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dist().toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("HIVEMQ_SUITE_HOME", home.toString());
            builder.environment().put("HIVEMQ_SUITE_DIST", dist().toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("hivemq " + String.join(" ", args) + " did not finish within "
                        + timeout.toSeconds() + " s\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n"
                        + Files.readString(err));
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            System.out.println("$ hivemq " + String.join(" ", args) + "\n" + result);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result run(String... args) {
        return run(Duration.ofSeconds(60), args);
    }

    private static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }
}
