package io.hivemqsuite.cli.uninstall;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.service.ApiResponse;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.cli.service.SchedulerClient;
import io.hivemqsuite.cli.service.ServiceProcesses;
import io.hivemqsuite.cli.service.ServiceProcesses.ServiceProcess;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.NodeNamespaces;
import io.hivemqsuite.protocol.dist.SchedulerEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hivemq uninstall}: asks the scheduler to stop every node and itself, then makes sure of it. Whatever
 * still runs with the service folder on its command line after the grace period is killed, because an
 * uninstall that leaves a broker behind would keep its ports and its data.
 */
@Command(name = "uninstall", description = "Stop every process of the service and remove its folder.")
public class UninstallCommand implements Callable<Integer> {
    @ParentCommand
    HivemqCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--yes", description = "Do not ask for confirmation (uninstall never asks in local mode).")
    boolean yes;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the service may take to stop before its processes are killed (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = root.serviceName();
        Path serviceDir = InstalledService.serviceDir(LocalLayout.defaultHome(), name).toAbsolutePath().normalize();
        if (!Files.isDirectory(serviceDir)) {
            throw new CliException("service " + name + " is not installed (no " + serviceDir + ")");
        }
        out.println("Uninstalling " + name + " ...");
        out.flush();
        try {
            // before anything else: the supervisor must not bring the scheduler back while it goes down
            Files.writeString(serviceDir.resolve("stopped"), "uninstall\n");
        } catch (IOException e) {
            throw new CliException("cannot write " + serviceDir.resolve("stopped") + ": " + e.getMessage());
        }

        askSchedulerToUninstall(serviceDir, err);
        stopOtherServices(serviceDir);

        long graceEnd = System.nanoTime() + graceSeconds * 1_000_000_000L;
        List<ServiceProcess> left = ServiceProcesses.of(serviceDir);
        while (!left.isEmpty() && System.nanoTime() < graceEnd) {
            pause(250);
            left = ServiceProcesses.of(serviceDir);
        }
        if (!left.isEmpty()) {
            err.println("Killing " + left.size() + " process(es) still running after " + graceSeconds + " s:");
            for (ServiceProcess process : left) {
                err.println("  " + process.pid() + " " + abbreviate(process.commandLine()));
            }
            err.flush();
        }
        killAll(serviceDir);
        // Whatever the mode: namespaces and bridge of this service are named after it, and none may outlive it.
        new NodeNamespaces(new LocalLayout(serviceDir.getParent(), serviceDir.getFileName().toString(), 1))
                .removeAll();
        deleteTree(serviceDir);
        out.println("Service " + name + " is uninstalled.");
        out.flush();
        return 0;
    }

    private static void askSchedulerToUninstall(Path serviceDir, PrintWriter err) {
        Path file = serviceDir.resolve("scheduler.json");
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            SchedulerEndpoint endpoint = SchedulerEndpoint.read(file);
            SchedulerClient client = new SchedulerClient(endpoint.url(), endpoint.token());
            if (!client.healthy()) {
                err.println("The scheduler does not answer; stopping the processes directly.");
                err.flush();
                return;
            }
            ApiResponse response = client.post("/v1/uninstall", "");
            if (!response.ok()) {
                err.println("The scheduler refused the uninstall (" + response.errorText()
                        + "); stopping the processes directly.");
                err.flush();
            }
        } catch (RuntimeException e) {
            err.println("Cannot ask the scheduler to uninstall (" + e.getMessage() + "); stopping the processes directly.");
            err.flush();
        }
    }

    /**
     * The scheduler has stopped the nodes; the services beside it (endpoints, sidecar) get a SIGTERM so they can
     * clean up after themselves (endpoint-svc removes its DNS zone). Their supervisors then see the stop file and end.
     */
    private static void stopOtherServices(Path serviceDir) {
        for (ServiceProcess process : ServiceProcesses.of(serviceDir)) {
            if (process.commandLine().contains("quarkus-run.jar") && !process.commandLine().contains("-Dsuite.node.dir=")) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    /** SIGKILL until nothing of the service is left: killing a supervisor or an agent may not stop its children. */
    private static void killAll(Path serviceDir) {
        long end = System.nanoTime() + 30_000_000_000L;
        List<ServiceProcess> left = ServiceProcesses.of(serviceDir);
        while (!left.isEmpty()) {
            for (ServiceProcess process : left) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            pause(200);
            left = ServiceProcesses.of(serviceDir);
            if (!left.isEmpty() && System.nanoTime() > end) {
                throw new CliException("cannot stop " + left.size() + " process(es) of " + serviceDir + ": "
                        + left.stream().map(p -> Long.toString(p.pid())).toList());
            }
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new CliException("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String commandLine) {
        return commandLine.length() > 160 ? commandLine.substring(0, 157) + "..." : commandLine;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
