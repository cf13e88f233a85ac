package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.ServiceJvm;
import io.hivemqsuite.protocol.options.OptionsReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The long-running services of one installed HiveMQ service: the apps of {@code deploy/marathon/hivemq-group.json},
 * which local mode runs from that file, and what local mode puts in place of DC/OS for each (its loopback address
 * and port on the service's slot, its JVM options from {@link ServiceJvm}, the settings that name local places).
 */
enum SuiteService {
    SCHEDULER("/hivemq/scheduler", "scheduler", "scheduler-svc", LocalDistribution::schedulerJar, ServiceJvm.SCHEDULER, LocalLayout::schedulerAddress,
            LocalLayout.SCHEDULER_PORT) {
        @Override
        Map<String, String> settings(LocalLayout layout, LocalDistribution dist) {
            return Map.of(
                    "SUITE_SPEC_FILE", serviceDir(layout).resolve("spec.json").toString(),
                    // blank: the options come from the spec file install wrote, not the group's mesos-mode options
                    "SUITE_OPTIONS", "",
                    // blank: the scheduler's embedded ZooKeeper, DC/OS' is master.mesos:2181
                    "SUITE_ZOOKEEPER_CONNECT", "");
        }
    },
    ENDPOINTS("/hivemq/endpoint", "endpoint-svc", "endpoint-svc", LocalDistribution::endpointJar, ServiceJvm.ENDPOINTS, LocalLayout::endpointAddress,
            LocalLayout.ENDPOINT_PORT) {
        @Override
        Map<String, String> settings(LocalLayout layout, LocalDistribution dist) {
            // the local DNS server and VIP proxy stand in for Mesos-DNS and the DC/OS layer-4 load balancer
            return Map.of(
                    "SUITE_SCHEDULER_URL", layout.schedulerUrl(),
                    "SUITE_DNS_ENABLED", "true",
                    "SUITE_VIP_ENABLED", "true");
        }
    },
    SIDECAR("/hivemq/sidecar", "sidecar-svc", "sidecar-svc", LocalDistribution::sidecarJar, ServiceJvm.SIDECAR, LocalLayout::sidecarAddress,
            LocalLayout.SIDECAR_PORT) {
        @Override
        Map<String, String> settings(LocalLayout layout, LocalDistribution dist) {
            return Map.of(
                    "SUITE_ZOOKEEPER_CONNECT", layout.schedulerAddress() + ":2181",
                    "SUITE_SCHEDULER_URL", layout.schedulerUrl());
        }
    },
    METRICS("/hivemq/metrics", "metrics-svc", "metrics-svc", LocalDistribution::metricsJar, ServiceJvm.METRICS, LocalLayout::metricsAddress,
            LocalLayout.METRICS_PORT) {
        @Override
        Map<String, String> settings(LocalLayout layout, LocalDistribution dist) {
            // STATSD_UDP_HOST/STATSD_UDP_PORT reach it from the installing shell's environment, as DC/OS gives them
            return Map.of("SUITE_SCHEDULER_URL", layout.schedulerUrl());
        }
    };

    /** The env variable the group's cmd puts before {@code -jar}: JVM options, in mesos mode as in local mode. */
    static final String JAVA_OPTS = "JAVA_OPTS";

    private final String appId;
    private final String logName;
    private final String module;
    private final Function<LocalDistribution, Path> jar;
    private final ServiceJvm jvm;
    private final Function<LocalLayout, String> address;
    private final int port;

    SuiteService(String appId, String logName, String module, Function<LocalDistribution, Path> jar, ServiceJvm jvm,
                 Function<LocalLayout, String> address, int port) {
        this.appId = appId;
        this.logName = logName;
        this.module = module;
        this.jar = jar;
        this.jvm = jvm;
        this.address = address;
        this.port = port;
    }

    /** The settings only this service takes locally; {@link #localEnv} adds the ones every service shares. */
    abstract Map<String, String> settings(LocalLayout layout, LocalDistribution dist);

    static SuiteService ofApp(String appId) {
        for (SuiteService service : values()) {
            if (service.appId.equals(appId)) {
                return service;
            }
        }
        throw new CliException(MarathonGroup.FILE + ": app " + appId + " is no service local mode knows how to run");
    }

    String appId() {
        return appId;
    }

    String logName() {
        return logName;
    }

    /** The folder name the app's cmd runs the service from ({@code $MESOS_SANDBOX/<module>/quarkus-run.jar}). */
    String module() {
        return module;
    }

    ServiceJvm jvm() {
        return jvm;
    }

    Path jar(LocalDistribution dist) {
        return jar.apply(dist);
    }

    String address(LocalLayout layout) {
        return address.apply(layout);
    }

    int port() {
        return port;
    }

    String healthUrl(LocalLayout layout, String path) {
        return "http://" + address(layout) + ":" + port + path;
    }

    /**
     * The env local mode sets over the app's env of the group file: every value that names a DC/OS place gets its
     * local one. A blank value leaves the setting unset (the services treat blank as absent).
     */
    Map<String, String> localEnv(LocalLayout layout, String serviceName, LocalDistribution dist) {
        Path dir = serviceDir(layout);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(JAVA_OPTS, jvm.shellOptions(jar(dist)));
        env.putAll(ServiceJvm.ENVIRONMENT);
        env.put(LocalDistribution.ENV, dist.root().toString());
        env.put(LocalLayout.HOME_ENV, layout.home().toAbsolutePath().toString());
        env.put("QUARKUS_HTTP_HOST", address(layout));
        env.put("SUITE_SERVICE_NAME", serviceName);
        env.put("SUITE_SERVICE_DIR", dir.toString());
        env.put("SUITE_SLOT", Integer.toString(layout.slot()));
        env.put("SUITE_NODE_NAMESPACES", Boolean.toString(layout.nodeNamespaces()));
        env.put("SUITE_TOKEN_FILE", dir.resolve("api-token").toString());
        env.put("SUITE_CREDENTIAL_FILE", dir.resolve("internal-credential").toString());
        logLevel(dir).ifPresent(level -> env.put("QUARKUS_LOG_LEVEL", level));
        env.putAll(settings(layout, dist));
        return env;
    }

    /**
     * {@code service.log_level} of the spec install wrote (the suite services' own level; its values are JBoss
     * Logging's, which Quarkus takes as they are). Fixed when the service starts, as a Marathon app's env is.
     */
    private static Optional<String> logLevel(Path serviceDir) {
        Path spec = serviceDir.resolve("spec.json");
        if (!Files.isRegularFile(spec)) {
            return Optional.empty();
        }
        return Optional.of(new OptionsReader().read(spec).service().logLevel());
    }

    private static Path serviceDir(LocalLayout layout) {
        return layout.serviceDir().toAbsolutePath();
    }
}
