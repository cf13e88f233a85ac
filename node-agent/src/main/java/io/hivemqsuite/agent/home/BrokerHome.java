package io.hivemqsuite.agent.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The HiveMQ home of one node: {@code <nodeDir>/hivemq/{conf,data,log,extensions,license}}. */
public record BrokerHome(Path root) {

    public Path conf() {
        return root.resolve("conf");
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path log() {
        return root.resolve("log");
    }

    public Path extensions() {
        return root.resolve("extensions");
    }

    public Path license() {
        return root.resolve("license");
    }

    public Path configXml() {
        return conf().resolve("config.xml");
    }

    public Path logbackXml() {
        return conf().resolve("logback.xml");
    }

    /** The broker's own log file, written by the logback.xml we render. */
    public Path brokerLog() {
        return log().resolve("hivemq.log");
    }

    /** stdout and stderr of the broker JVM: a file, so nobody has to drain a pipe for the broker to go on. */
    public Path consoleLog() {
        return log().resolve("console.log");
    }

    public BrokerHome create() {
        try {
            for (Path dir : new Path[]{conf(), data(), log(), extensions(), license()}) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the HiveMQ home " + root, e);
        }
        return this;
    }

    /** Temp file + rename: a broker (re)starting at the same moment sees the old file or the new one, never half. */
    public static void writeAtomically(Path target, String content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
