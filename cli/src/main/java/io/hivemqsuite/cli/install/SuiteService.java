package io.hivemqsuite.cli.install;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.ServiceJvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The long-running services of one installed HiveMQ service, as a Marathon group would list its apps. Each runs
 * as its own JVM sized by {@link ServiceJvm}, on its own loopback address of the service's slot.
 */
enum SuiteService {
    SCHEDULER("scheduler", ServiceJvm.SCHEDULER) {
        @Override
        Path jar(LocalDistribution dist) {
            return dist.schedulerJar();
        }

        @Override
        List<String> settings(LocalLayout layout, String serviceName, LocalDistribution dist) {
            Path dir = serviceDir(layout);
            return List.of(
                    "-Dquarkus.http.host=" + layout.schedulerAddress(),
                    "-Dquarkus.http.port=" + LocalLayout.SCHEDULER_PORT,
                    "-Dsuite.spec-file=" + dir.resolve("spec.json"),
                    "-Dhivemq.suite.dist=" + dist.root());
        }
    },
    ENDPOINTS("endpoint-svc", ServiceJvm.ENDPOINTS) {
        @Override
        Path jar(LocalDistribution dist) {
            return dist.endpointJar();
        }

        @Override
        List<String> settings(LocalLayout layout, String serviceName, LocalDistribution dist) {
            return List.of(
                    "-Dquarkus.http.host=" + layout.endpointAddress(),
                    "-Dquarkus.http.port=" + LocalLayout.ENDPOINT_PORT,
                    "-Dhivemq.suite.home=" + layout.home().toAbsolutePath(),
                    "-Dsuite.scheduler-url=" + layout.schedulerUrl());
        }
    },
    SIDECAR("sidecar-svc", ServiceJvm.SIDECAR) {
        @Override
        Path jar(LocalDistribution dist) {
            return dist.sidecarJar();
        }

        @Override
        List<String> settings(LocalLayout layout, String serviceName, LocalDistribution dist) {
            return List.of(
                    "-Dquarkus.http.host=" + layout.sidecarAddress(),
                    "-Dquarkus.http.port=" + LocalLayout.SIDECAR_PORT,
                    "-Dsuite.zookeeper.connect=" + layout.schedulerAddress() + ":2181",
                    "-Dsuite.scheduler-url=" + layout.schedulerUrl());
        }
    },
    METRICS("metrics-svc", ServiceJvm.METRICS) {
        @Override
        Path jar(LocalDistribution dist) {
            return dist.metricsJar();
        }

        @Override
        List<String> settings(LocalLayout layout, String serviceName, LocalDistribution dist) {
            // STATSD_UDP_HOST/STATSD_UDP_PORT reach it from the installing shell's environment, as DC/OS gives them
            return List.of(
                    "-Dquarkus.http.host=" + layout.metricsAddress(),
                    "-Dquarkus.http.port=" + LocalLayout.METRICS_PORT,
                    "-Dsuite.scheduler-url=" + layout.schedulerUrl());
        }
    };

    private final String logName;
    private final ServiceJvm jvm;

    SuiteService(String logName, ServiceJvm jvm) {
        this.logName = logName;
        this.jvm = jvm;
    }

    abstract Path jar(LocalDistribution dist);

    /** The settings only this service takes; {@link #command} adds the ones every service shares. */
    abstract List<String> settings(LocalLayout layout, String serviceName, LocalDistribution dist);

    String logName() {
        return logName;
    }

    List<String> command(LocalLayout layout, String serviceName, LocalDistribution dist) {
        Path dir = serviceDir(layout);
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvm.options(jar(dist)));
        command.addAll(List.of(
                "-Dsuite.service-name=" + serviceName,
                "-Dsuite.service-dir=" + dir,
                "-Dsuite.slot=" + layout.slot(),
                "-Dsuite.token-file=" + dir.resolve("api-token"),
                "-Dsuite.credential-file=" + dir.resolve("internal-credential")));
        logLevel(dir).ifPresent(level -> command.add("-Dquarkus.log.level=" + level));
        command.addAll(settings(layout, serviceName, dist));
        command.add("-jar");
        command.add(jar(dist).toString());
        return command;
    }

    /**
     * {@code service.log_level} of the spec install wrote (the suite services' own level; its values are JBoss
     * Logging's, which Quarkus takes as they are). Fixed when the service starts, as a Marathon app's command is.
     */
    private static java.util.Optional<String> logLevel(Path serviceDir) {
        Path spec = serviceDir.resolve("spec.json");
        if (!java.nio.file.Files.isRegularFile(spec)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new io.hivemqsuite.protocol.options.OptionsReader().read(spec).service().logLevel());
    }

    private static Path serviceDir(LocalLayout layout) {
        return layout.serviceDir().toAbsolutePath();
    }

    private static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return java.toFile().canExecute() ? java.toString() : "java";
    }
}
