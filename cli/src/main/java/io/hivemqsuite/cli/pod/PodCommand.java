package io.hivemqsuite.cli.pod;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hivemq pod ...}: the dcos-commons pod commands. */
@Command(name = "pod", description = "Query, restart and replace the service's pods (hivemq-0, hivemq-1, ...).",
        subcommands = {PodCommand.ListPods.class, PodCommand.PodStatus.class, PodCommand.PodInfo.class,
                PodCommand.RestartPod.class, PodCommand.ReplacePod.class})
public class PodCommand {
    @ParentCommand
    HivemqCommand root;

    SchedulerClient client() {
        return InstalledService.find(root.serviceName()).client();
    }

    abstract static class PodSubcommand implements Callable<Integer> {
        @ParentCommand
        PodCommand pods;

        @Spec
        CommandSpec spec;

        int print(String text) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(text);
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", description = "List the pods.")
    static class ListPods extends PodSubcommand {
        @Override
        public Integer call() {
            return print(Json.pretty(pods.client().get("/v1/pod").requireOk().body()));
        }
    }

    @Command(name = "status", description = "Show the tasks of every pod, or of one pod, with their status.")
    static class PodStatus extends PodSubcommand {
        @Parameters(arity = "0..1", paramLabel = "POD")
        String pod;

        @Option(names = "--json", description = "Print the JSON answer of the API.")
        boolean json;

        @Override
        public Integer call() {
            String path = pod == null ? "/v1/pod/status" : "/v1/pod/" + SchedulerClient.encode(pod) + "/status";
            ApiResponse response = pods.client().get(path).requireOk();
            return print(json ? Json.pretty(response.body()) : tree(response.json(), response.body()));
        }
    }

    @Command(name = "info", description = "Show the task records of a pod (spec, host, ports).")
    static class PodInfo extends PodSubcommand {
        @Parameters(index = "0", paramLabel = "POD")
        String pod;

        @Override
        public Integer call() {
            return print(Json.pretty(pods.client().get("/v1/pod/" + SchedulerClient.encode(pod) + "/info")
                    .requireOk().body()));
        }
    }

    @Command(name = "restart", description = "Restart a pod in place (same node folder, same data).")
    static class RestartPod extends PodSubcommand {
        @Parameters(index = "0", paramLabel = "POD")
        String pod;

        @Override
        public Integer call() {
            return print(Json.pretty(pods.client().post("/v1/pod/" + SchedulerClient.encode(pod) + "/restart", "")
                    .requireOk().body()));
        }
    }

    @Command(name = "replace", description = "Replace a pod: its node starts over with an empty folder.")
    static class ReplacePod extends PodSubcommand {
        @Parameters(index = "0", paramLabel = "POD")
        String pod;

        @Override
        public Integer call() {
            return print(Json.pretty(pods.client().post("/v1/pod/" + SchedulerClient.encode(pod) + "/replace", "")
                    .requireOk().body()));
        }
    }

    /**
     * Every object with a {@code tasks} array is a pod instance, wherever the answer nests it (dcos-commons
     * nests instances under pod types for the whole service): printed as a pod with its tasks. An answer of
     * another shape is shown as JSON rather than half understood.
     */
    static String tree(JsonNode answer, String raw) {
        List<JsonNode> instances = new ArrayList<>();
        collectInstances(answer, instances);
        if (instances.isEmpty()) {
            return Json.pretty(raw);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode instance : instances) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(instance.path("name").asText("?"));
            Iterator<JsonNode> tasks = instance.path("tasks").iterator();
            while (tasks.hasNext()) {
                JsonNode task = tasks.next();
                text.append('\n').append(tasks.hasNext() ? "├─ " : "└─ ").append(task.path("name").asText("?"))
                        .append(" (").append(task.path("status").asText("?"));
                if (task.hasNonNull("brokerVersion")) {
                    text.append(", HiveMQ CE ").append(task.path("brokerVersion").asText());
                }
                text.append(')');
            }
        }
        return text.toString();
    }

    private static void collectInstances(JsonNode node, List<JsonNode> instances) {
        if (node.isObject() && node.path("tasks").isArray()) {
            instances.add(node);
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collectInstances(child, instances));
        }
    }
}
