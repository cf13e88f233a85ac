package io.hivemqsuite.protocol.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the built pieces of the suite are on this machine, for local mode: the launcher starts the
 * scheduler from here, the scheduler's local backend starts node agents from here, and an agent takes
 * the broker and the broker extension from here. The root is the repository checkout after
 * {@code mvn install}; {@code ./hivemq} passes it as {@code HIVEMQ_SUITE_DIST}. The paths below the root
 * are the build's ({@code suite-layout.properties}, written from the parent pom's {@code suite.layout.*}
 * properties, which the producing modules build to).
 */
public record LocalDistribution(Path root) {
    public static final String ENV = "HIVEMQ_SUITE_DIST";

    private static final Properties LAYOUT = layout();

    /** From {@code -Dhivemq.suite.dist}, else {@code $HIVEMQ_SUITE_DIST}, else the working directory. */
    public static LocalDistribution fromEnvironment() {
        String property = System.getProperty("hivemq.suite.dist");
        String env = System.getenv(ENV);
        String root = property != null ? property : env != null ? env : ".";
        return new LocalDistribution(Path.of(root).toAbsolutePath().normalize());
    }

    public Path schedulerJar() {
        return quarkusApp("scheduler-svc");
    }

    public Path endpointJar() {
        return quarkusApp("endpoint-svc");
    }

    public Path sidecarJar() {
        return quarkusApp("sidecar-svc");
    }

    public Path metricsJar() {
        return quarkusApp("metrics-svc");
    }

    public Path nodeAgentJar() {
        return quarkusApp("node-agent");
    }

    /** The current HiveMQ Community Edition jar and its dependencies (module broker-distribution): the broker's classpath. */
    public Path brokerLibDir() {
        return root.resolve(LAYOUT.getProperty("broker-lib"));
    }

    /**
     * The classpath of one shipped release ({@code hivemq.version}): the current one from broker-distribution, the
     * one before from broker-distribution/previous-release.
     */
    public Path brokerLibDir(String version) {
        if (version == null || version.equals(LAYOUT.getProperty("broker-version"))) {
            return brokerLibDir();
        }
        if (version.equals(LAYOUT.getProperty("broker-previous-version"))) {
            return root.resolve(LAYOUT.getProperty("broker-lib-previous"));
        }
        throw new IllegalArgumentException("HiveMQ CE " + version + " is not part of this distribution (it ships "
                + LAYOUT.getProperty("broker-version") + " and " + LAYOUT.getProperty("broker-previous-version") + ")");
    }

    /** The suite's own broker extension, as a zip holding its one folder. */
    public Path brokerExtensionZip() {
        return root.resolve(LAYOUT.getProperty("extension-zip"));
    }

    public Path cliJar() {
        return root.resolve(LAYOUT.getProperty("cli"));
    }

    /** Fails with the missing file named, so a user who forgot to build is told what to build. */
    public Path require(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build the suite first (mvn -q install -DskipTests in "
                    + root + ")");
        }
        return file;
    }

    /** A Quarkus service's runnable jar (its {@code quarkus-app} folder holds the rest), by module name. */
    private Path quarkusApp(String module) {
        return root.resolve(module).resolve(LAYOUT.getProperty("quarkus-run"));
    }

    private static Properties layout() {
        Properties layout = new Properties();
        try (InputStream in = LocalDistribution.class.getResourceAsStream("suite-layout.properties")) {
            if (in == null) {
                throw new IllegalStateException("suite-layout.properties is missing from control-protocol's jar");
            }
            layout.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layout;
    }
}
