package io.hivemqsuite.cli.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.plan.PlanTree;
import io.hivemqsuite.cli.service.ApiResponse;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.cli.service.Json;
import io.hivemqsuite.cli.service.SchedulerClient;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.OptionsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hivemq update start --options FILE [--dry-run]} and {@code hivemq update status}, as
 * {@code dcos hivemq update} does: the scheduler validates and diffs the options and rolls them out node by node
 * with the {@code update} plan.
 */
@Command(name = "update", description = "Change the configuration of a running service without downtime.",
        subcommands = {UpdateCommand.Start.class, UpdateCommand.StatusOfUpdate.class})
public class UpdateCommand {
    @ParentCommand
    HivemqCommand root;

    SchedulerClient client() {
        return InstalledService.find(root.serviceName()).client();
    }

    @Command(name = "start", description = "Roll out new options (the full options JSON, as for install).")
    static class Start implements Callable<Integer> {
        @ParentCommand
        UpdateCommand update;

        @Spec
        CommandSpec spec;

        @Option(names = "--options", required = true, paramLabel = "FILE", description = "Options JSON file.")
        Path options;

        @Option(names = "--dry-run", description = "Show which nodes would restart, join or leave, and why; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            String body;
            try {
                body = Files.readString(options);
            } catch (IOException e) {
                throw new CliException("--options: cannot read " + options + ": " + e.getMessage());
            }
            try {
                // Checked here too, so a bad file is named without a round trip; the scheduler checks again.
                new OptionsReader().read(body);
            } catch (OptionsException e) {
                throw new CliException(e.errors().stream().map(f -> f.field() + ": " + f.reason())
                        .reduce((a, b) -> a + "\n" + b).orElse(e.getMessage()));
            }
            ApiResponse response = update.client().post("/v1/update" + (dryRun ? "?dryRun=true" : ""), body)
                    .requireOk();
            PrintWriter out = spec.commandLine().getOut();
            print(response.json(), out);
            out.flush();
            return 0;
        }
    }

    static void print(JsonNode result, PrintWriter out) {
        out.println(result.path("message").asText());
        JsonNode changes = result.path("changes");
        if (changes.size() > 0) {
            out.println("changes:");
            for (JsonNode change : changes) {
                out.println("  " + change.path("field").asText() + ": " + change.path("from").asText("(none)")
                        + " -> " + change.path("to").asText("(none)"));
            }
        }
        String verb = result.path("dryRun").asBoolean() ? "would " : "will ";
        JsonNode nodes = result.path("nodes");
        if (nodes.size() == 0 && changes.size() > 0) {
            out.println("no node " + verb + "restart");
        }
        for (JsonNode node : nodes) {
            String what = switch (node.path("action").asText()) {
                case "RESTART" -> verb + "restart";
                case "CERTIFICATES" -> verb + "get a new certificate in place (no restart)";
                case "USERS" -> verb + "get the new users and roles in place (no restart)";
                case "ADD" -> verb + "be added";
                case "DECOMMISSION" -> verb + "leave (decommission: drained, sessions handed over, stopped, "
                        + "data folder released)";
                default -> node.path("action").asText();
            };
            StringBuilder reasons = new StringBuilder();
            node.path("reasons").forEach(r -> reasons.append(reasons.length() == 0 ? "" : ", ").append(r.asText()));
            out.println("  " + node.path("pod").asText() + " " + what + " (" + reasons + ")");
        }
    }

    @Command(name = "status", description = "Show the update plan with its phases and steps.")
    static class StatusOfUpdate implements Callable<Integer> {
        @ParentCommand
        UpdateCommand update;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the JSON answer of the API.")
        boolean json;

        @Override
        public Integer call() {
            ApiResponse response = update.client().get("/v1/plans/update");
            if (response.status() != 200 && response.status() != 202 && response.status() != 417) {
                throw new CliException(response.errorText());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? Json.pretty(response.body()) : PlanTree.render(response.json()));
            out.flush();
            return 0;
        }
    }
}
