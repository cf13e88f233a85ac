package io.hivemqsuite.cli;

import io.hivemqsuite.cli.describe.DescribeCommand;
import io.hivemqsuite.cli.endpoints.EndpointsCommand;
import io.hivemqsuite.cli.install.InstallCommand;
import io.hivemqsuite.cli.metrics.MetricsCommand;
import io.hivemqsuite.cli.plan.PlanCommand;
import io.hivemqsuite.cli.pod.PodCommand;
import io.hivemqsuite.cli.uninstall.UninstallCommand;
import io.hivemqsuite.cli.update.UpdateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hivemq} command. Shaped like {@code dcos hivemq}: {@code --name} picks the service (default
 * {@code hivemq}) and may stand before or after the subcommand, as DC/OS users are used to.
 */
@Command(name = "hivemq", mixinStandardHelpOptions = true, version = "hivemq-suite 0.1.0",
        description = "Install and operate a HiveMQ service.",
        subcommands = {InstallCommand.class, UninstallCommand.class, PlanCommand.class, PodCommand.class,
                EndpointsCommand.class, UpdateCommand.class, MetricsCommand.class, DescribeCommand.class,
                CommandLine.HelpCommand.class})
public class HivemqCommand {
    public static final String DEFAULT_SERVICE = "hivemq";

    @Option(names = "--name", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Name of the service instance (default: hivemq, or service.name of the options on install).")
    String name;

    /** The service name as given, or null when the user named none (install then takes service.name). */
    public String givenName() {
        return name;
    }

    public String serviceName() {
        return name != null ? name : DEFAULT_SERVICE;
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new HivemqCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println(failure.getMessage());
                commandLine.getErr().flush();
                return failure.exitCode();
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
