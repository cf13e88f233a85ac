package io.hivemqsuite.cli.endpoints;

import io.hivemqsuite.cli.CliException;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hivemq endpoints [name]}: the names of the endpoints, or one endpoint's addresses, DNS names and VIP;
 * {@code --ca} the CA certificate clients of the TLS listeners trust; {@code --edge-lb} / {@code --haproxy} a
 * load balancer configuration for public access.
 */
@Command(name = "endpoints", description = "List the endpoints, or show one endpoint (mqtt, mqtt-tls, websocket, websocket-tls; metrics: the Prometheus scrape).")
public class EndpointsCommand implements Callable<Integer> {
    @ParentCommand
    HivemqCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Endpoint name, e.g. mqtt.")
    String name;

    @Option(names = "--json", description = "Print the JSON answer of the API.")
    boolean json;

    @Option(names = "--ca", description = "Print the PEM certificate of the CA that issued the TLS listeners' certificates.")
    boolean ca;

    @Option(names = "--edge-lb", description = "Print the Edge-LB pool JSON of the service (user guide: Using Edge-LB).")
    boolean edgeLb;

    @Option(names = "--haproxy", description = "Print an HAProxy configuration in front of the nodes' MQTT listeners.")
    boolean haproxy;

    @Option(names = "--bind", paramLabel = "ADDRESS:PORT",
            description = "Frontend of --haproxy (default 127.0.<slot>.240:1883) or port of --edge-lb (default 1883).")
    String bind;

    @Option(names = "--output", paramLabel = "FILE", description = "Write --ca/--edge-lb/--haproxy to FILE as well.")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        InstalledService service = InstalledService.find(root.serviceName());
        SchedulerClient client = service.client();
        String text;
        if (ca) {
            text = client.get("/v1/certificates/ca").requireOk().body();
        } else if (edgeLb) {
            text = PublicAccess.edgeLbPool(root.serviceName(), port(bind == null ? "1883" : bind));
        } else if (haproxy) {
            ApiResponse mqtt = client.get("/v1/endpoints/mqtt").requireOk();
            String frontend = bind == null ? "127.0." + service.endpoint().slot() + ".240:1883" : bind;
            port(frontend);
            text = PublicAccess.haproxy(root.serviceName(), frontend, PublicAccess.addresses(mqtt.json()));
        } else if (METRICS.equals(name)) {
            text = metricsEndpoint(service);
        } else if (name == null) {
            text = Json.pretty(client.get("/v1/endpoints").requireOk().body());
        } else {
            ApiResponse response = client.get("/v1/endpoints/" + SchedulerClient.encode(name)).requireOk();
            if (json) {
                text = Json.pretty(response.body());
            } else {
                EndpointsPrinter.print(name, response.json(), out);
                out.flush();
                return 0;
            }
        }
        if (output != null) {
            try {
                Files.writeString(output, text.endsWith("\n") ? text : text + "\n");
            } catch (IOException e) {
                throw new CliException("--output: cannot write " + output + ": " + e.getMessage());
            }
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
        return 0;
    }

    /** Not a broker listener: the Prometheus scrape of metrics-svc, which needs the service's API token. */
    static final String METRICS = "metrics";

    private String metricsEndpoint(InstalledService service) {
        String url = service.layout().metricsUrl() + "/metrics";
        String tokenFile = service.serviceDir().resolve("api-token").toAbsolutePath().toString();
        if (json) {
            return Json.pretty(Json.MAPPER.createObjectNode().put("name", METRICS).put("url", url)
                    .put("bearerTokenFile", tokenFile).toString());
        }
        return url + "\n(Prometheus: authorization type Bearer, credentials_file " + tokenFile + ")";
    }

    private static int port(String bindOrPort) {
        String port = bindOrPort.contains(":") ? bindOrPort.substring(bindOrPort.lastIndexOf(':') + 1) : bindOrPort;
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new CliException("--bind: expected ADDRESS:PORT (or PORT for --edge-lb) with a port 1..65535, got '"
                + bindOrPort + "'", 2);
    }
}
