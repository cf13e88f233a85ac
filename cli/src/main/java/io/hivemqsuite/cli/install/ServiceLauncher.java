package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts an app of {@code deploy/marathon/hivemq-group.json} the way Marathon would: its cmd run by {@code sh -c} in a
 * sandbox, with the app's env and the variables Mesos and Marathon set, under {@code deploy/local/supervise.sh}, which
 * restarts it after a crash, in a session of its own so that neither the end of this CLI nor a Ctrl-C in the user's
 * terminal reaches it.
 *
 * <p>What local mode puts in place of DC/OS, and nothing else:
 * <ul>
 *   <li>{@code MESOS_SANDBOX}: {@code <service dir>/sandbox/<app>}, holding links where the Mesos fetcher would put
 *       the fetched artifacts: {@code jdk} to the JRE this CLI runs on and {@code <module>} to the module's built
 *       {@code quarkus-app} folder;</li>
 *   <li>{@code PORT0}, {@code PORTS}, {@code PORT_<NAME>} of each port definition: the service's port on its own
 *       loopback address of the slot, {@code HOST} that address;</li>
 *   <li>the env of {@link SuiteService#localEnv}, set over the app's own: local addresses, the service folder and
 *       its files (the cmd takes {@code SUITE_SERVICE_DIR}, {@code SUITE_TOKEN_FILE} and {@code HIVEMQ_SUITE_DIST}
 *       from the env when set, else the sandbox's) and the JVM options of {@code ServiceJvm} in {@code JAVA_OPTS}.</li>
 * </ul>
 */
final class ServiceLauncher {
    static final String SUPERVISOR = "deploy/local/supervise.sh";

    private ServiceLauncher() {
    }

    /** What runs for one app: the supervised command and the environment on top of this CLI's. */
    record LocalProcess(Path sandbox, List<String> command, Map<String, String> env) {
    }

    static Path supervisor(LocalDistribution dist) {
        return dist.root().resolve(SUPERVISOR);
    }

    static Path groupFile(LocalDistribution dist) {
        return dist.root().resolve(MarathonGroup.FILE);
    }

    /** The file whose presence tells every supervisor of the service not to restart anything any more. */
    static Path stopFile(LocalLayout layout) {
        return layout.serviceDir().resolve("stopped");
    }

    static Path logFile(SuiteService service, LocalLayout layout) {
        return layout.logDir().resolve(service.logName() + ".log");
    }

    /** Prepares the app's sandbox and says what to run; {@code javaHome} is the JRE its {@code jdk} link names. */
    static LocalProcess translate(MarathonGroup.App app, LocalLayout layout, String serviceName, LocalDistribution dist,
                                  Path javaHome) {
        SuiteService service = SuiteService.ofApp(app.id());
        Path serviceDir = layout.serviceDir().toAbsolutePath();
        Path sandbox = serviceDir.resolve("sandbox").resolve(app.id().substring(app.id().lastIndexOf('/') + 1));
        try {
            Files.createDirectories(sandbox);
            link(sandbox.resolve("jdk"), javaHome);
            link(sandbox.resolve(service.module()), service.jar(dist).toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new CliException("cannot prepare the sandbox " + sandbox + " of " + app.id() + ": " + e.getMessage());
        }
        Map<String, String> env = new LinkedHashMap<>(app.env());
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("MARATHON_APP_ID", app.id());
        env.put("HOST", service.address(layout));
        String port = Integer.toString(service.port());
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < app.portNames().size(); i++) {
            // one loopback address per service, so every port definition of the app gets the service's one port
            env.put("PORT" + i, port);
            ports.add(port);
            if (!app.portNames().get(i).isEmpty()) {
                env.put("PORT_" + app.portNames().get(i).toUpperCase(Locale.ROOT).replace('-', '_'), port);
            }
        }
        env.put("PORTS", String.join(",", ports));
        env.putAll(service.localEnv(layout, serviceName, dist));
        List<String> command = List.of("setsid", "sh", supervisor(dist).toString(),
                stopFile(layout).toAbsolutePath().toString(), logFile(service, layout).toAbsolutePath().toString(),
                "sh", "-c", app.cmd());
        return new LocalProcess(sandbox, command, env);
    }

    /** Returns the supervisor's pid: the process that stands for the suite service, as a Marathon app would. */
    static long launch(MarathonGroup.App app, LocalLayout layout, String serviceName, LocalDistribution dist) {
        LocalProcess process = translate(app, layout, serviceName, dist, Path.of(System.getProperty("java.home")));
        Path log = logFile(SuiteService.ofApp(app.id()), layout);
        try {
            Files.createDirectories(layout.logDir());
            ProcessBuilder builder = new ProcessBuilder(process.command())
                    .directory(process.sandbox().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            builder.environment().putAll(process.env());
            return builder.start().pid();
        } catch (IOException e) {
            throw new CliException("cannot start " + app.id() + ": " + e.getMessage());
        }
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }
}
