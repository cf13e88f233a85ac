package io.hivemqsuite.cli.endpoints;

import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.service.ApiResponse;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.cli.service.Json;
import io.hivemqsuite.cli.service.SchedulerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code hivemq endpoints [name]}: the names of the endpoints, or one endpoint's addresses, DNS names and VIP. */
@Command(name = "endpoints", description = "List the endpoints, or show one endpoint (mqtt, mqtt-tls, websocket, websocket-tls).")
public class EndpointsCommand implements Callable<Integer> {
    @ParentCommand
    HivemqCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Endpoint name, e.g. mqtt.")
    String name;

    @Option(names = "--json", description = "Print the JSON answer of the API.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SchedulerClient client = InstalledService.find(root.serviceName()).client();
        if (name == null) {
            out.println(Json.pretty(client.get("/v1/endpoints").requireOk().body()));
        } else {
            ApiResponse response = client.get("/v1/endpoints/" + SchedulerClient.encode(name)).requireOk();
            if (json) {
                out.println(Json.pretty(response.body()));
            } else {
                EndpointsPrinter.print(name, response.json(), out);
            }
        }
        out.flush();
        return 0;
    }
}
