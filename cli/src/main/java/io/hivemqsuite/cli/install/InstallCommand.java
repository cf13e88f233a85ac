package io.hivemqsuite.cli.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.endpoints.EndpointsPrinter;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.cli.service.Json;
import io.hivemqsuite.cli.service.SchedulerClient;
import io.hivemqsuite.cli.service.ServiceProcesses;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.NodeNamespaces;
import io.hivemqsuite.protocol.dist.SchedulerEndpoint;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigCheck;
import io.hivemqsuite.protocol.options.FieldError;
import io.hivemqsuite.protocol.options.OptionNotes;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.security.InternalCredential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hivemq install}: checks the options first (nothing is written or started on bad input), then does
 * what DC/OS does for a package install: hands the spec to a freshly started scheduler and follows its
 * deploy plan.
 */
@Command(name = "install", description = "Install a HiveMQ service and wait until its deploy plan is COMPLETE.")
public class InstallCommand implements Callable<Integer> {

    @ParentCommand
    HivemqCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--options", paramLabel = "FILE", description = "Options JSON (see deploy/universe/config.json).")
    Path optionsFile;

    @Option(names = "--yes", description = "Do not ask for confirmation (install never asks in local mode).")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for the deploy plan (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--timings", description = "After the install, print a timeline from the CLI's start to deploy "
            + "COMPLETE: each service's launch and start, each node's agent, broker and states, each deploy step.")
    boolean timings;

    @Override
    public Integer call() {
        InstallTimeline timeline = new InstallTimeline();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        ServiceOptions options;
        try {
            options = readOptions(optionsFile, root.givenName());
            BrokerConfigCheck.check(options, LocalDistribution.fromEnvironment());
        } catch (OptionsException e) {
            err.println("Invalid options" + (optionsFile != null ? " in " + optionsFile : "") + ":");
            for (FieldError error : e.errors()) {
                err.println("  " + error.field() + ": " + error.reason());
            }
            err.flush();
            return 1;
        }

        String name = options.service().name();
        Path home = LocalLayout.defaultHome().toAbsolutePath().normalize();
        Path serviceDir = InstalledService.serviceDir(home, name);
        refuseExisting(name, serviceDir);

        LocalDistribution dist = LocalDistribution.fromEnvironment();
        requireBuilt(dist);
        if (options.service().mesos()) {
            MesosMasterProbe.requireReachable(options.service().mesosMaster());
            MesosMasterProbe.requireLogin(options.service().serviceAccount(), options.service().serviceAccountSecret(),
                    options.service().mesosMaster());
        }

        boolean namespaces = options.service().localNetworkNamespaces();
        if (namespaces) {
            String unavailable = NodeNamespaces.unavailable();
            if (unavailable != null) {
                throw new CliException("service.local_network_namespaces: " + unavailable);
            }
        }
        int slot = SlotPicker.pick(home);
        LocalLayout layout = new LocalLayout(home, options.service().pathName(), slot, namespaces);
        String token = randomToken();
        writeServiceFiles(layout, options, token);
        if (namespaces) {
            // before the services start: sidecar-svc listens on the bridge
            try {
                new NodeNamespaces(layout).createBridge();
            } catch (IllegalStateException e) {
                throw new CliException("service.local_network_namespaces: cannot create the node bridge: "
                        + e.getMessage() + " (remove the service with: hivemq --name " + name + " uninstall)");
            }
        }

        timeline.mark("cli", "options checked, service folder written");
        SchedulerClient client = new SchedulerClient(layout.schedulerUrl(), token);
        Deadline deadline = new Deadline(Duration.ofSeconds(timeoutSeconds));
        startGroup(MarathonGroup.read(ServiceLauncher.groupFile(dist)), name, layout, dist, token, deadline,
                timeline, () -> {
                    out.printf("Installing %s: %d node(s) on %s.%d.0/24%s, scheduler %s (logs in %s)%n", name,
                            options.node().count(), namespaces ? LocalLayout.NAMESPACE_NET : "127.0", slot,
                            namespaces ? " (each in its own network namespace)" : "", layout.schedulerUrl(),
                            layout.logDir());
                    printNotes(optionsFile, out);
                    out.flush();
                });
        new DeployFollower(client, out, timeline).follow(deadline, layout);
        timeline.finish("cli", "deploy COMPLETE");
        out.println("Service " + name + " is installed.");
        EndpointsPrinter.printAll(client, options, layout, out);
        if (timings) {
            timeline.print(layout, options.node().count(), out);
        }
        out.flush();
        return 0;
    }

    /**
     * Options of the file that are accepted but do nothing here (HiveMQ Enterprise features, DC/OS details), each with
     * why, so that a user of the DC/OS package is not left believing they apply.
     */
    private static void printNotes(Path file, PrintWriter out) {
        if (file == null) {
            return;
        }
        List<OptionNotes.Note> notes;
        try {
            notes = OptionNotes.given(OptionsReader.tree(Files.readString(file)));
        } catch (IOException | OptionsException e) {
            return; // read and validated a moment ago; nothing to add if it changed since
        }
        if (!notes.isEmpty()) {
            out.println("Options without effect in this service (see ./hivemq describe):");
            notes.forEach(n -> out.println("  " + n));
        }
    }

    /**
     * The options as the scheduler gets them: the file completed with defaults, {@code --name} in
     * {@code service.name} (and validated like any other field).
     */
    public static ServiceOptions readOptions(Path file, String nameOverride) {
        OptionsReader reader = new OptionsReader();
        String json = "{}";
        if (file != null) {
            try {
                json = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new OptionsException("--options", "file " + file + " does not exist");
            } catch (IOException e) {
                throw new OptionsException("--options", "cannot read " + file + ": " + e.getMessage());
            }
        }
        if (nameOverride == null) {
            return reader.read(json);
        }
        JsonNode tree;
        try {
            tree = json.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return reader.read(json); // reports the syntax error with line and column
        }
        if (tree instanceof ObjectNode object) {
            JsonNode service = object.get("service");
            if (service == null || service.isNull()) {
                service = object.putObject("service");
            }
            if (service instanceof ObjectNode serviceObject) {
                serviceObject.put("name", nameOverride);
            }
        }
        return reader.read(tree);
    }

    private static void refuseExisting(String name, Path serviceDir) {
        if (!Files.exists(serviceDir)) {
            return;
        }
        Path file = serviceDir.resolve("scheduler.json");
        boolean live = !ServiceProcesses.of(serviceDir).isEmpty();
        if (!live && Files.isRegularFile(file)) {
            try {
                live = ServiceProcesses.alive(SchedulerEndpoint.read(file).pid());
            } catch (RuntimeException unreadable) {
                live = false;
            }
        }
        if (live) {
            throw new CliException("service " + name + " is already installed and running (" + serviceDir
                    + "); uninstall it first or choose another --name");
        }
        throw new CliException("service " + name + " has a leftover folder " + serviceDir
                + " from an earlier install that is not running; remove it with: hivemq --name " + name + " uninstall");
    }

    private static void requireBuilt(LocalDistribution dist) {
        try {
            for (SuiteService service : SuiteService.values()) {
                dist.require(service.jar(dist));
            }
            dist.require(ServiceLauncher.supervisor(dist));
            dist.require(ServiceLauncher.groupFile(dist));
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static void writeServiceFiles(LocalLayout layout, ServiceOptions options, String token) {
        try {
            Files.createDirectories(layout.logDir());
            Files.writeString(layout.serviceDir().resolve("spec.json"), OptionsReader.toJson(options));
            writeSecret(layout.serviceDir().resolve("api-token"), token);
            writeSecret(layout.serviceDir().resolve("internal-credential"), InternalCredential.generate());
        } catch (IOException e) {
            throw new CliException("cannot write the service folder " + layout.serviceDir() + ": " + e.getMessage());
        }
    }

    /** Created with mode 0600 from the start, so the secret is never readable by others, not even briefly. */
    private static void writeSecret(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret);
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Starts the group's apps as Marathon would: in dependency order, each app only once the apps it depends on pass
     * their health check; returns once the scheduler is healthy too.
     */
    private static void startGroup(MarathonGroup group, String name, LocalLayout layout, LocalDistribution dist, String token,
                                   Deadline deadline, InstallTimeline timeline, Runnable schedulerLaunched) {
        Map<String, Long> pids = new HashMap<>();
        Map<String, MarathonGroup.App> byId = new HashMap<>();
        Set<String> healthy = new HashSet<>();
        for (MarathonGroup.App app : group.startOrder()) {
            byId.put(app.id(), app);
            for (String dependency : app.dependencies()) {
                if (healthy.add(dependency)) {
                    waitForHealth(byId.get(dependency), pids.get(dependency), layout, token, deadline, timeline);
                }
            }
            SuiteService service = SuiteService.ofApp(app.id());
            long pid = ServiceLauncher.launch(app, layout, name, dist);
            pids.put(app.id(), pid);
            timeline.mark(service.logName(), "launched");
            if (service == SuiteService.SCHEDULER) {
                // written now, not once healthy, so that an uninstall during a failed start finds the scheduler
                new SchedulerEndpoint(name, layout.schedulerUrl(), token, pid, layout.slot(), layout.nodeNamespaces())
                        .write(layout.schedulerFile());
                schedulerLaunched.run();
            }
        }
        String scheduler = SuiteService.SCHEDULER.appId();
        if (!pids.containsKey(scheduler)) {
            throw new CliException(ServiceLauncher.groupFile(dist) + ": no app " + scheduler);
        }
        if (healthy.add(scheduler)) {
            waitForHealth(byId.get(scheduler), pids.get(scheduler), layout, token, deadline, timeline);
        }
    }

    private static void waitForHealth(MarathonGroup.App app, long supervisorPid, LocalLayout layout, String token,
                                      Deadline deadline, InstallTimeline timeline) {
        SuiteService service = SuiteService.ofApp(app.id());
        SchedulerClient client = new SchedulerClient("http://" + service.address(layout) + ":" + service.port(), token);
        Path log = ServiceLauncher.logFile(service, layout);
        while (!client.healthy(app.healthPath())) {
            if (!ServiceProcesses.alive(supervisorPid)) {
                throw new CliException("the " + service.logName() + " stopped before it became healthy; see " + log);
            }
            if (deadline.passed()) {
                throw new CliException("the " + service.logName() + " at " + client.baseUrl() + " is not healthy after "
                        + deadline.total().toSeconds() + " s; see " + log
                        + " (remove the service with: hivemq --name " + layout.service() + " uninstall)");
            }
            Deadline.pause(300);
        }
        timeline.mark(service.logName(), "healthy (seen by the CLI)");
    }
}
