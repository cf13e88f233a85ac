package io.hivemqsuite.cli.describe;

import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.protocol.options.OptionsDescription;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code hivemq describe}: the options the service runs with (the scheduler's target, defaults filled in), secrets
 * masked, then the options that have no effect here and the install-only ones.
 */
@Command(name = "describe", description = "Show the options the service runs with (secrets masked).")
public class DescribeCommand implements Callable<Integer> {
    @ParentCommand
    HivemqCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String body = InstalledService.find(root.serviceName()).client().get("/v1/configurations/target")
                .requireOk().body();
        ServiceOptions options = new OptionsReader().read(body);
        out.print(OptionsDescription.text(options));
        out.flush();
        return 0;
    }
}
