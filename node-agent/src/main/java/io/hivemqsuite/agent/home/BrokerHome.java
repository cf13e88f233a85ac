package io.hivemqsuite.agent.home;

import io.hivemqsuite.protocol.dist.AtomicFiles;
import io.hivemqsuite.protocol.options.EncodedOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The HiveMQ home of one node: {@code <nodeDir>/hivemq/{conf,data,log,extensions,license}}. */
public record BrokerHome(Path root) {
    /** The file {@code hivemq.license} is written to. */
    public static final String LICENSE_FILE = "install-options.lic";


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

    /**
     * {@code hivemq.license}: written into the license folder as the add-license plan writes a license, under a name
     * of its own so that licenses added by the plan stay; an empty option removes it again.
     */
    public void installLicense(String base64) {
        Path file = license().resolve(LICENSE_FILE);
        try {
            if (base64 == null || base64.isBlank()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(license());
            AtomicFiles.write(file, EncodedOptions.decode(base64));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the license " + file, e);
        }
    }

    /** Temp file + rename: a broker (re)starting at the same moment sees the old file or the new one, never half. */
    public static void writeAtomically(Path target, String content) {
        AtomicFiles.write(target, content);
    }
}
