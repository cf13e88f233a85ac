package io.hivemqsuite.cli.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.cli.service.Json;
import io.hivemqsuite.cli.service.SchedulerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code hivemq metrics [--node hivemq-N]}: the brokers' current metrics from metrics-svc, one column per node. */
@Command(name = "metrics", description = "Show the brokers' current metrics (from metrics-svc), one column per node.")
public class MetricsCommand implements Callable<Integer> {
    @ParentCommand
    HivemqCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--node", paramLabel = "POD", description = "Only this node, e.g. hivemq-1.")
    String node;

    @Option(names = "--json", description = "Print the JSON answer of the API.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SchedulerClient client = InstalledService.find(root.serviceName()).metricsClient();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("node", node);
        String body = client.get(SchedulerClient.withQuery("/v1/metrics", query)).requireOk().body();
        out.print(json ? Json.pretty(body) + "\n" : table(Json.parse(body)));
        out.flush();
        return 0;
    }

    /** Rows: the node's state, then every metric by HiveMQ's dotted name; a node without a value shows '-'. */
    static String table(JsonNode answer) {
        List<JsonNode> nodes = new ArrayList<>();
        answer.path("nodes").forEach(nodes::add);
        TreeSet<String> names = new TreeSet<>();
        nodes.forEach(n -> n.path("metrics").fieldNames().forEachRemaining(names::add));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("METRIC"));
        nodes.forEach(n -> header.add(n.path("node").asText()));
        rows.add(header);
        rows.add(row("reporting", nodes, n -> n.path("reporting").asBoolean() ? "yes" : "no (stale)"));
        rows.add(row("snapshot age s", nodes, n -> n.path("snapshotAgeSeconds").asDouble() < 0 ? "-"
                : format(n.path("snapshotAgeSeconds").asDouble())));
        rows.add(row("agent state", nodes, n -> n.path("state").isNull() ? "-" : n.path("state").asText()));
        rows.add(row("broker restarts", nodes, n -> n.path("brokerRestarts").isNull() ? "-"
                : n.path("brokerRestarts").asText()));
        for (String name : names) {
            rows.add(row(name, nodes, n -> n.path("metrics").has(name)
                    ? format(n.path("metrics").get(name).asDouble()) : "-"));
        }
        int[] widths = new int[header.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder text = new StringBuilder();
        text.append("service ").append(answer.path("service").asText()).append(", metrics ")
                .append(answer.path("metricsEnabled").asBoolean() ? "every " + answer.path("intervalSeconds").asInt()
                        + " s" : "disabled (hivemq.metrics_enabled=false)").append('\n');
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                // names left-aligned, numbers right-aligned so that digits line up
                text.append(i == 0 ? String.format("%-" + widths[i] + "s", cell)
                        : "  " + String.format("%" + widths[i] + "s", cell));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static List<String> row(String label, List<JsonNode> nodes, java.util.function.Function<JsonNode, String> cell) {
        List<String> row = new ArrayList<>(List.of(label));
        nodes.forEach(n -> row.add(cell.apply(n)));
        return row;
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 9.0e15) {
            return Long.toString((long) value);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
