package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.ServiceJvm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a service's processes the way Marathon would: each under {@code deploy/local/supervise.sh}, which
 * restarts it after a crash, in a session of its own so that neither the end of this CLI nor a Ctrl-C in the
 * user's terminal reaches it.
 */
final class ServiceLauncher {
    static final String SUPERVISOR = "deploy/local/supervise.sh";

    private ServiceLauncher() {
    }

    static Path supervisor(LocalDistribution dist) {
        return dist.root().resolve(SUPERVISOR);
    }

    /** The file whose presence tells every supervisor of the service not to restart anything any more. */
    static Path stopFile(LocalLayout layout) {
        return layout.serviceDir().resolve("stopped");
    }

    /** Returns the supervisor's pid: the process that stands for the suite service, as a Marathon app would. */
    static long launch(SuiteService service, LocalLayout layout, String serviceName, LocalDistribution dist) {
        Path log = layout.logDir().resolve(service.logName() + ".log");
        List<String> command = new ArrayList<>(List.of("setsid", "sh", supervisor(dist).toString(),
                stopFile(layout).toAbsolutePath().toString(), log.toAbsolutePath().toString()));
        command.addAll(service.command(layout, serviceName, dist));
        try {
            Files.createDirectories(layout.logDir());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dist.root().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            builder.environment().put(LocalDistribution.ENV, dist.root().toString());
            builder.environment().putAll(ServiceJvm.ENVIRONMENT);
            builder.environment().put(LocalLayout.HOME_ENV, layout.home().toAbsolutePath().toString());
            return builder.start().pid();
        } catch (IOException e) {
            throw new CliException("cannot start " + service.logName() + ": " + e.getMessage());
        }
    }
}
