package io.hivemqsuite.cli.service;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.SchedulerEndpoint;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service installed on this machine, found by name under the suite home: its folder and how to reach its
 * scheduler ({@code scheduler.json}).
 */
public record InstalledService(String name, Path serviceDir, SchedulerEndpoint endpoint) {

    /** Folder names drop the separators of foldered names ({@code /dev/hivemq} lives in {@code devhivemq}). */
    public static String pathName(String serviceName) {
        return serviceName.replace("/", "");
    }

    public static Path serviceDir(Path home, String serviceName) {
        return home.resolve(pathName(serviceName));
    }

    public static InstalledService find(Path home, String serviceName) {
        Path dir = serviceDir(home, serviceName);
        Path file = dir.resolve("scheduler.json");
        if (!Files.isRegularFile(file)) {
            throw new CliException("service " + serviceName + " is not installed (no " + file + ")");
        }
        SchedulerEndpoint endpoint;
        try {
            endpoint = SchedulerEndpoint.read(file);
        } catch (RuntimeException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        return new InstalledService(serviceName, dir, endpoint);
    }

    public static InstalledService find(String serviceName) {
        return find(LocalLayout.defaultHome(), serviceName);
    }

    public LocalLayout layout() {
        return new LocalLayout(serviceDir.getParent(), serviceDir.getFileName().toString(), endpoint.slot(),
                endpoint.nodeNamespaces());
    }

    public SchedulerClient client() {
        return new SchedulerClient(endpoint.url(), endpoint.token());
    }

    /** metrics-svc, which serves the cluster's metrics; it takes the same API token as the scheduler. */
    public SchedulerClient metricsClient() {
        return new SchedulerClient(layout().metricsUrl(), endpoint.token());
    }

    /** sidecar-svc, which owns the sidecar plans; it takes the same API token as the scheduler. */
    public SchedulerClient sidecarClient() {
        return new SchedulerClient(layout().sidecarUrl(), endpoint.token());
    }
}
