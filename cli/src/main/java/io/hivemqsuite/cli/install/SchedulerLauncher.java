package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a service's scheduler the way Marathon would: under {@code deploy/local/supervise.sh}, which
 * restarts it after a crash, in a session of its own so that neither the end of this CLI nor a Ctrl-C in
 * the user's terminal reaches it.
 */
final class SchedulerLauncher {
    static final String SUPERVISOR = "deploy/local/supervise.sh";

    private SchedulerLauncher() {
    }

    static Path supervisor(LocalDistribution dist) {
        return dist.root().resolve(SUPERVISOR);
    }

    /** The file whose presence tells the supervisor not to restart the scheduler any more. */
    static Path stopFile(LocalLayout layout) {
        return layout.serviceDir().resolve("stopped");
    }

    static List<String> schedulerCommand(LocalLayout layout, String serviceName, LocalDistribution dist) {
        Path dir = layout.serviceDir().toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=" + layout.schedulerAddress(),
                "-Dquarkus.http.port=" + LocalLayout.SCHEDULER_PORT,
                "-Dsuite.service-name=" + serviceName,
                "-Dsuite.service-dir=" + dir,
                "-Dsuite.slot=" + layout.slot(),
                "-Dsuite.spec-file=" + dir.resolve("spec.json"),
                "-Dsuite.token-file=" + dir.resolve("api-token"),
                "-Dsuite.credential-file=" + dir.resolve("internal-credential"),
                "-Dhivemq.suite.dist=" + dist.root(),
                "-jar", dist.schedulerJar().toString()));
        return command;
    }

    /** Returns the supervisor's pid: the process that stands for the whole service, as a Marathon app would. */
    static long launch(LocalLayout layout, String serviceName, LocalDistribution dist) {
        Path log = layout.logDir().resolve("scheduler.log");
        List<String> command = new ArrayList<>(List.of("setsid", "sh", supervisor(dist).toString(),
                stopFile(layout).toAbsolutePath().toString(), log.toAbsolutePath().toString()));
        command.addAll(schedulerCommand(layout, serviceName, dist));
        try {
            Files.createDirectories(layout.logDir());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dist.root().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            builder.environment().put(LocalDistribution.ENV, dist.root().toString());
            builder.environment().put(LocalLayout.HOME_ENV, layout.home().toAbsolutePath().toString());
            return builder.start().pid();
        } catch (IOException e) {
            throw new CliException("cannot start the scheduler: " + e.getMessage());
        }
    }

    private static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }
}
