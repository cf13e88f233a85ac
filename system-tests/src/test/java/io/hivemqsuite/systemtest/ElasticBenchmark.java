package io.hivemqsuite.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code benchmarks/elastic/run.sh}: one 3-node service installed by the CLI, QoS 1 publishers and persistent-session
 * subscribers through the VIP ({@link CountedTraffic}) during each case: a broker killed with kill -9 (detection,
 * recovery to HEALTHY, the new broker's own cold start), {@code update start} from 3 to 5 nodes and back to 3. Each row
 * also gives the longest time any client was without service during the case, and the messages lost and duplicated.
 * Prints one table.
 */
@EnabledIfSystemProperty(named = "elastic.benchmark", matches = "true")
class ElasticBenchmark {
    private static final String SERVICE = "elastic-bench";

    private record Row(String what, String time, String detail, long gapMs, int lost, int duplicates) {
    }

    private static String options(int nodes) {
        return "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": " + nodes
                + ", \"mem\": 512, \"heap\": 128}}";
    }

    @Test
    void table() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (TestCluster cluster = new TestCluster("hivemq-suite-bench-elastic-")) {
            InstalledService service = cluster.install(SERVICE, options(3));
            Poll.sleep(5_000);
            try (CountedTraffic traffic = traffic(service)) {
                BrokerKill kill = BrokerKill.of(service, 0);
                rows.add(row("broker kill -9 (hivemq-0) -> HEALTHY", kill.recoveryMs() + " ms",
                        String.format("detected+relaunched %d ms; broker cold start %d ms; ratio %.2f",
                                kill.detectMs(), kill.coldStartMs(), kill.ratio()), traffic));
            }
            for (int nodes : new int[]{5, 3}) {
                Path file = Files.writeString(cluster.home.resolve("bench-" + nodes + ".json"), options(nodes));
                try (CountedTraffic traffic = traffic(service)) {
                    UpdatePlan.Done done = UpdatePlan.run(cluster, SERVICE, file, Duration.ofMinutes(6));
                    rows.add(row("scale " + (nodes == 5 ? "3 -> 5" : "5 -> 3") + " (update plan)",
                            done.millis() + " ms", done.view().path("phases").get(0).path("name").asText()
                                    + " phase, " + done.view().path("phases").get(0).path("steps").size() + " steps",
                            traffic));
                }
            }
        }
        StringBuilder table = new StringBuilder("=== elastic benchmark (3 nodes, 2 QoS 1 publishers at ~25/s, "
                + "4 persistent subscribers, all through the VIP) ===\n");
        table.append(String.format("| %-38s | %-9s | %-62s | %-22s | %-4s | %-10s |%n", "case", "time",
                "detail", "longest client gap", "lost", "duplicates"));
        table.append("|").append("-".repeat(40)).append("|").append("-".repeat(11)).append("|")
                .append("-".repeat(64)).append("|").append("-".repeat(24)).append("|").append("-".repeat(6))
                .append("|").append("-".repeat(12)).append("|\n");
        for (Row r : rows) {
            table.append(String.format("| %-38s | %-9s | %-62s | %-22s | %-4d | %-10d |%n", r.what(), r.time(),
                    r.detail(), r.gapMs() + " ms", r.lost(), r.duplicates()));
        }
        System.out.println(table);
    }

    private static CountedTraffic traffic(InstalledService service) throws Exception {
        CountedTraffic traffic = new CountedTraffic(service.layout().vipAddress());
        traffic.publisher("eb-pub-a");
        traffic.publisher("eb-pub-b");
        for (int s = 0; s < 4; s++) {
            traffic.subscriber("eb-sub-" + s);
        }
        Poll.sleep(2_000);
        return traffic;
    }

    /** Stops the traffic, waits for the last deliveries and counts. */
    private static Row row(String what, String time, String detail, CountedTraffic traffic) throws Exception {
        traffic.stopPublishing();
        try {
            Poll.until(Duration.ofSeconds(60), "every message delivered", () -> traffic.missing().isEmpty());
        } catch (AssertionError timedOut) {
            // counted in the row
        }
        return new Row(what, time, detail, traffic.longestGapMs(), traffic.missing().size(), traffic.duplicates());
    }
}
