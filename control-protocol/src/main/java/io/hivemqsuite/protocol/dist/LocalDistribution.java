package io.hivemqsuite.protocol.dist;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built pieces of the suite are on this machine, for local mode: the launcher starts the
 * scheduler from here, the scheduler's local backend starts node agents from here, and an agent takes
 * the broker and the broker extension from here. The root is the repository checkout after
 * {@code mvn install}; {@code ./hivemq} passes it as {@code HIVEMQ_SUITE_DIST}.
 */
public record LocalDistribution(Path root) {
    public static final String ENV = "HIVEMQ_SUITE_DIST";

    /** From {@code -Dhivemq.suite.dist}, else {@code $HIVEMQ_SUITE_DIST}, else the working directory. */
    public static LocalDistribution fromEnvironment() {
        String property = System.getProperty("hivemq.suite.dist");
        String env = System.getenv(ENV);
        String root = property != null ? property : env != null ? env : ".";
        return new LocalDistribution(Path.of(root).toAbsolutePath().normalize());
    }

    public Path schedulerJar() {
        return root.resolve("scheduler-svc/target/quarkus-app/quarkus-run.jar");
    }

    public Path endpointJar() {
        return root.resolve("endpoint-svc/target/quarkus-app/quarkus-run.jar");
    }

    public Path sidecarJar() {
        return root.resolve("sidecar-svc/target/quarkus-app/quarkus-run.jar");
    }

    public Path metricsJar() {
        return root.resolve("metrics-svc/target/quarkus-app/quarkus-run.jar");
    }

    public Path nodeAgentJar() {
        return root.resolve("node-agent/target/quarkus-app/quarkus-run.jar");
    }

    /** The current HiveMQ Community Edition jar and its dependencies: the broker's classpath. */
    public Path brokerLibDir() {
        return root.resolve("node-agent/target/hivemq-ce/lib");
    }

    /**
     * The classpath of one shipped release ({@code hivemq.version}): the current one where it always was, every
     * other one beside it in {@code hivemq-ce-<version>/lib}.
     */
    public Path brokerLibDir(String version) {
        if (version == null || version.equals(BrokerVersions.current())) {
            return brokerLibDir();
        }
        return root.resolve("node-agent/target/hivemq-ce-" + version + "/lib");
    }

    /** The suite's own broker extension, as a zip holding its one folder. */
    public Path brokerExtensionZip() {
        return root.resolve("broker-extension/target/hivemq-suite-extension.zip");
    }

    public Path cliJar() {
        return root.resolve("cli/target/hivemq-cli.jar");
    }

    /** Fails with the missing file named, so a user who forgot to build is told what to build. */
    public Path require(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build the suite first (mvn -q install -DskipTests in "
                    + root + ")");
        }
        return file;
    }
}
