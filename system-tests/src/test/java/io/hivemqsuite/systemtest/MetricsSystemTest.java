package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * metrics-svc end to end with the real consumers: Debian's {@code prometheus} scrapes it with the shipped
 * {@code deploy/monitoring/prometheus.yml} and answers every query of the shipped dashboard; {@code promtool} checks
 * the scrape; the real StatsD daemon (npm {@code statsd}, run with node) receives the pushes. Traffic comes from Paho.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsSystemTest {
    private static final String SERVICE = "mon";
    private static final int NODES = 2;
    private static final int SENT = 120;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private TestCluster cluster;
    private InstalledService service;
    private Path work;
    private Process prometheus;
    private Process statsd;
    private int prometheusPort;
    private int statsdManagementPort;
    /** Connected through the VIP from the first test on, so the VIP panel and the VIP series have a connection. */
    private OutsideClient viaVip;

    @BeforeAll
    void install() throws Exception {
        work = Files.createTempDirectory("hivemq-suite-monitoring-");
        int statsdPort = freeUdpPort();
        statsdManagementPort = freeTcpPort();
        statsd = startStatsd(statsdPort);
        cluster = new TestCluster("hivemq-suite-mon-");
        service = cluster.install(SERVICE, "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": "
                + NODES + ", \"mem\": 512, \"heap\": 128}, \"hivemq\": {\"metrics_interval\": 1}}",
                Map.of("STATSD_UDP_HOST", "127.0.0.1", "STATSD_UDP_PORT", Integer.toString(statsdPort)));
        for (int i = 0; i < NODES; i++) {
            int node = i;
            Poll.until(Duration.ofSeconds(60), "node " + i + " healthy", () -> service.nodeStatus(node).healthy());
        }
        prometheusPort = freeTcpPort();
        prometheus = startPrometheus();
    }

    @AfterAll
    void uninstall() throws IOException {
        if (viaVip != null) {
            viaVip.close();
        }
        for (Process p : new Process[]{prometheus, statsd}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void prometheusAnswersEveryDashboardQueryAndTheRatePanelsShowTheTraffic() throws Exception {
        // a rate needs samples from before the traffic: wait until Prometheus scrapes both nodes' counters
        String before = "/api/v1/query?query=" + encode("com_hivemq_messages_incoming_publish_count{service_name=\""
                + SERVICE + "\"}");
        Poll.until(Duration.ofSeconds(60), "Prometheus has both nodes' counters",
                () -> prometheus(before).path("data").path("result").size() == NODES);
        Poll.sleep(2_000);
        sendTraffic("rate");
        // the suite's own panels: a client through the VIP, and sidecar-check commands to both nodes (a refused plan)
        viaVip = OutsideClient.connect(service.layout().vipAddress(), 1883, "mon-vip");
        Cli.Result refused = cluster.run("--name", SERVICE, "plan", "start", "disable-extension", "-p",
                "EXTENSION=no-such-extension");
        assertTrue(refused.exitCode() != 0 && refused.all().contains("no-such-extension"), refused.toString());
        JsonNode dashboard = JSON.readTree(Cli.dist().resolve("deploy/monitoring/HiveMQ-Prometheus.json").toFile());
        // the variables, as Grafana would fill them: service_name from label_values, node = All
        String servicesQuery = "/api/v1/label/service_name/values?match%5B%5D=" + encode("hivemq_suite_metrics_up");
        Poll.until(Duration.ofSeconds(60), "service_name values list " + SERVICE,
                () -> prometheus(servicesQuery).path("data").toString().contains("\"" + SERVICE + "\""));
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(panel.path("title").asText() + "\u0000" + target.path("expr").asText());
            }
        }
        assertTrue(expressions.size() >= 19, "the dashboard charts connections, rates, heap, routing, plans, VIP, ...");
        for (String entry : expressions) {
            String title = entry.split("\u0000")[0];
            String expr = entry.split("\u0000")[1].replace("$service_name", SERVICE).replace("$node", ".*")
                    .replace("$__rate_interval", "30s");
            JsonNode result = Poll.until(Duration.ofSeconds(60), "panel '" + title + "': " + expr, () -> {
                JsonNode r = prometheus("/api/v1/query?query=" + encode(expr)).path("data").path("result");
                return r.size() > 0 ? r : null;
            });
            System.out.println("panel '" + title + "': " + expr + " -> " + result);
        }
        // the traffic went in on node 0 and out on node 1 (the subscriber's node): the rate panels show it
        assertRatePositive(expressionOf(dashboard, "Incoming publishes /s"), "hivemq-0");
        assertRatePositive(expressionOf(dashboard, "Outgoing publishes /s"), "hivemq-1");
        assertRatePositive(expressionOf(dashboard, "Routed messages /s"), "hivemq-0");
    }

    /**
     * The series only the suite services measure, in metrics-svc's scrape: the install's deploy steps (launch to
     * healthy), failures per plan at 0 (scheduler and sidecar plans alike), the sidecar-check round trips of the
     * first test, and the VIP's connection to the node that took it, gone again when the client leaves.
     */
    @Test
    @Order(2)
    void theSuiteSeriesShowTheDeployStepsTheCommandRoundTripsAndTheVipConnection() throws Exception {
        String scrape = scrape();
        for (int i = 0; i < NODES; i++) {
            Matcher step = Pattern.compile("(?m)^hivemq_suite_plan_step_duration_seconds\\{service_name=\"mon\",node=\"hivemq-"
                    + i + "\",phase=\"[^\"]+\",plan=\"deploy\",step=\"hivemq-" + i + ":\\[node]\",?} ([0-9.E-]+)$").matcher(scrape);
            assertTrue(step.find(), "deploy step of hivemq-" + i + ":\n" + scrape);
            double seconds = Double.parseDouble(step.group(1));
            assertTrue(seconds > 0.5 && seconds < 300, "hivemq-" + i + " took " + seconds + " s from launch to healthy");
        }
        for (String plan : List.of("deploy", "recovery", "add-license", "disable-extension")) {
            assertTrue(Pattern.compile("(?m)^hivemq_suite_plan_step_failures_total\\{service_name=\"mon\",plan=\"" + plan
                    + "\",?} 0\\.0$").matcher(scrape).find(), plan + " has a failure series at 0:\n" + scrape);
        }
        for (int i = 0; i < NODES; i++) {
            Matcher trips = Pattern.compile("(?m)^hivemq_suite_control_command_round_trip_seconds_(count|sum)\\{"
                    + "service_name=\"mon\",command=\"sidecar-check\",node=\"hivemq-" + i + "\",?} ([0-9.E-]+)$").matcher(scrape);
            for (String part : List.of("count", "sum")) {
                assertTrue(trips.find() && trips.group(1).equals(part) && Double.parseDouble(trips.group(2)) > 0,
                        "the sidecar-check to hivemq-" + i + " is timed (" + part + "):\n" + scrape);
            }
        }
        for (String source : List.of("scheduler", "sidecar", "endpoint")) {
            assertTrue(scrape.contains("hivemq_suite_metrics_source_up{service_name=\"mon\",source=\"" + source + "\"} 1\n"),
                    source + " answered:\n" + scrape);
        }
        Pattern vip = Pattern.compile("(?m)^hivemq_suite_vip_connections\\{service_name=\"mon\",listener=\"mqtt\","
                + "node=\"(hivemq-\\d)\",?} 1\\.0$");
        Matcher held = vip.matcher(scrape);
        assertTrue(held.find(), "the VIP client is counted on its node:\n" + scrape);
        String node = held.group(1);
        assertFalse(held.find(), "on one node only:\n" + scrape);
        Matcher accepted = Pattern.compile("(?m)^hivemq_suite_vip_connections_accepted_total\\{service_name=\"mon\","
                + "listener=\"mqtt\",?} ([0-9.E]+)$").matcher(scrape);
        assertTrue(accepted.find() && Double.parseDouble(accepted.group(1)) >= 1, scrape);
        viaVip.close();
        viaVip = null;
        Pattern gone = Pattern.compile("(?m)^hivemq_suite_vip_connections\\{service_name=\"mon\",listener=\"mqtt\",node=\""
                + node + "\",?} 0\\.0$");
        Poll.until(Duration.ofSeconds(30), "the VIP connection to " + node + " ends", () -> gone.matcher(scrape()).find());
    }

    @Test
    @Order(3)
    void theScrapeUsesHiveMqsNamesAndPromtoolFindsNothingElse() throws Exception {
        String scrape = scrape();
        assertTrue(scrape.contains("# TYPE com_hivemq_messages_incoming_publish_count counter\n"), scrape);
        assertTrue(scrape.contains("# TYPE com_hivemq_networking_connections_current gauge\n"), scrape);
        assertTrue(Pattern.compile("(?m)^com_hivemq_messages_incoming_publish_count\\{service_name=\"mon\",node=\"hivemq-0\"} \\d+$")
                .matcher(scrape).find(), scrape);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String findings = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        int exit = promtool.exitValue();
        // exit 1 would be a format error; 3 means lint findings, of which only HiveMQ's own names' are accepted
        assertTrue(exit == 0 || exit == 3, "promtool exit " + exit + ": " + findings);
        List<String> other = findings.lines().filter(l -> !l.isBlank())
                .filter(l -> !(l.startsWith("com_hivemq_") && (l.endsWith("counter metrics should have \"_total\" suffix")
                        || l.endsWith("non-histogram and non-summary metrics should not have \"_count\" suffix"))))
                .toList();
        assertEquals(List.of(), other, "promtool findings other than HiveMQ's names:\n" + findings);
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), "the scrape needs the API token");
    }

    @Test
    @Order(4)
    void statsdReceivesTheBrokersCountersAndGaugesWithDogStatsdTags() throws Exception {
        String tags = ";service_name=" + SERVICE + ";node=hivemq-0";
        String published = "com.hivemq.messages.incoming.publish.count" + tags;
        String connections = "com.hivemq.networking.connections.current" + tags;
        // quiet: StatsD's sum of increases stands still and the broker's counter with it
        long[] before = quietPair(published);
        sendTraffic("statsd");
        long[] after = Poll.until(Duration.ofSeconds(30), "StatsD counts the " + SENT + " publishes", () -> {
            long[] pair = quietPair(published);
            return pair[0] - before[0] >= SENT ? pair : null;
        });
        assertEquals(after[1] - before[1], after[0] - before[0],
                "StatsD's increase equals the broker's counter increase (StatsD, broker: " + before[0] + "->" + after[0]
                        + ", " + before[1] + "->" + after[1] + ")");
        Map<String, Double> gauges = statsd("gauges");
        assertEquals(brokerValue(0, "com.hivemq.networking.connections.current"), gauges.get(connections),
                "connections gauge as the broker reports it: " + gauges.keySet());
        assertEquals(1.0, gauges.get("hivemq_suite.metrics.up" + tags));
        assertEquals(0.0, statsd("counters").getOrDefault("statsd.bad_lines_seen", 0.0), "every line was valid");
    }

    @Test
    @Order(5)
    void theCliPrintsTheScrapeAddressAndATableOfTheCurrentValues() {
        Cli.Result endpoint = cluster.run("--name", SERVICE, "endpoints", "metrics");
        assertEquals(0, endpoint.exitCode(), endpoint.toString());
        assertTrue(endpoint.out().startsWith(metricsUrl() + "\n"), endpoint.toString());
        Cli.Result table = cluster.run("--name", SERVICE, "metrics", "--node", "hivemq-0");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(Pattern.compile("(?m)^METRIC +hivemq-0$").matcher(table.out()).find(), table.out());
        Matcher row = Pattern.compile("(?m)^com\\.hivemq\\.messages\\.incoming\\.publish\\.count +(\\d+)$").matcher(table.out());
        assertTrue(row.find(), table.out());
        assertTrue(Long.parseLong(row.group(1)) >= 2 * SENT, "both rounds of traffic counted: " + table.out());
        assertFalse(table.out().contains("hivemq-1"), "only the node asked for");
        Cli.Result missing = cluster.run("--name", SERVICE, "metrics", "--node", "hivemq-7");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.all().contains("the service has no node hivemq-7"), missing.toString());
    }

    @Test
    @Order(6)
    void aNodeThatStopsReportingIsMarkedStaleAndItsSeriesVanishUntilItIsBack() throws Exception {
        long broker = service.nodeStatus(1).brokerPid();
        // frozen, not killed: nothing restarts it, it just stops publishing its snapshots
        signal("STOP", broker);
        try {
            Poll.until(Duration.ofSeconds(30), "node 1 stale", () -> {
                String scrape = scrape();
                return scrape.contains("hivemq_suite_metrics_up{service_name=\"mon\",node=\"hivemq-1\"} 0\n")
                        && scrape.lines().noneMatch(l -> l.startsWith("com_hivemq_") && l.contains("node=\"hivemq-1\""))
                        && scrape.contains("com_hivemq_networking_connections_current{service_name=\"mon\",node=\"hivemq-0\"}");
            });
            String up = "hivemq_suite_metrics_up{service_name=\"" + SERVICE + "\",node=\"hivemq-1\"}";
            Poll.until(Duration.ofSeconds(30), "Prometheus sees node 1 down",
                    () -> prometheus("/api/v1/query?query=" + encode(up)).path("data").path("result")
                            .path(0).path("value").path(1).asText().equals("0"));
        } finally {
            signal("CONT", broker);
        }
        Poll.until(Duration.ofSeconds(60), "node 1 reporting again", () -> scrape()
                .contains("hivemq_suite_metrics_up{service_name=\"mon\",node=\"hivemq-1\"} 1\n"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** SENT QoS 1 messages published on node 0 to a subscriber on node 1 (Paho, MQTT 5). */
    private void sendTraffic(String topic) throws Exception {
        try (OutsideClient subscriber = OutsideClient.connect(service.layout().nodeAddress(1), 1883, "mon-sub-" + topic);
             OutsideClient publisher = OutsideClient.connect(service.layout().nodeAddress(0), 1883, "mon-pub-" + topic)) {
            subscriber.subscribe("plant/" + topic, 1);
            // No wait: the SUBACK comes once node 0 routes by a digest holding the new filter.
            for (int i = 0; i < SENT; i++) {
                assertTrue(publisher.publish("plant/" + topic, "m" + i, false) < 0x80);
            }
            Poll.until(Duration.ofSeconds(30), "all " + SENT + " arrive on node 1",
                    () -> subscriber.all().size() >= SENT);
        }
    }

    private void assertRatePositive(String expression, String node) throws Exception {
        String expr = expression.replace("$service_name", SERVICE).replace("$node", ".*").replace("$__rate_interval", "30s");
        Poll.until(Duration.ofSeconds(30), expr + " > 0 on " + node, () -> {
            for (JsonNode series : prometheus("/api/v1/query?query=" + encode(expr)).path("data").path("result")) {
                if (series.path("metric").path("node").asText().equals(node)
                        && Double.parseDouble(series.path("value").path(1).asText()) > 0) {
                    return true;
                }
            }
            return false;
        });
    }

    private static String expressionOf(JsonNode dashboard, String title) {
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                return panel.path("targets").path(0).path("expr").asText();
            }
        }
        throw new AssertionError("no panel " + title);
    }

    private String metricsUrl() {
        return service.layout().metricsUrl() + "/metrics";
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl()))
                .header("Authorization", "Bearer " + service.endpoint().token()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The broker's current value as metrics-svc has it (GET /v1/metrics). */
    private double brokerValue(int node, String name) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.layout().metricsUrl()
                        + "/v1/metrics?node=hivemq-" + node)).header("Authorization", "Bearer " + service.endpoint().token())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("nodes").path(0).path("metrics").path(name).asDouble(-1);
    }

    /** {StatsD's summed counter, the broker's counter}, once two readings 2.5 s apart agree (no push in flight). */
    private long[] quietPair(String statsdKey) throws Exception {
        String name = statsdKey.substring(0, statsdKey.indexOf(';'));
        return Poll.until(Duration.ofSeconds(30), "quiet counters", () -> {
            long s1 = statsd("counters").getOrDefault(statsdKey, 0.0).longValue();
            long b1 = (long) brokerValue(0, name);
            Thread.sleep(2_500);
            long s2 = statsd("counters").getOrDefault(statsdKey, 0.0).longValue();
            long b2 = (long) brokerValue(0, name);
            return s1 == s2 && b1 == b2 && b1 >= 0 ? new long[]{s2, b2} : null;
        });
    }

    /** The daemon's current counters or gauges, read from its management interface. */
    private Map<String, Double> statsd(String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", statsdManagementPort)) {
            socket.setSoTimeout(5_000);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.print(command + "\n");
            out.flush();
            StringBuilder text = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                text.append(line).append('\n');
                if (line.endsWith("}")) {
                    break;
                }
            }
            out.print("quit\n");
            out.flush();
            Map<String, Double> values = new HashMap<>();
            Matcher m = Pattern.compile("'?([A-Za-z0-9_.;=\\-]+)'?: (-?[0-9.e+\\-]+)").matcher(text);
            while (m.find()) {
                values.put(m.group(1), Double.parseDouble(m.group(2)));
            }
            return values;
        }
    }

    private JsonNode prometheus(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** The shipped prometheus.yml's local job, pointed at this service and its token, scraping every second. */
    private Process startPrometheus() throws Exception {
        String shipped = Files.readString(Cli.dist().resolve("deploy/monitoring/prometheus.yml"));
        String local = shipped.substring(0, shipped.indexOf("  # DC/OS:"));
        assertTrue(local.contains("['127.0.1.203:8080']") && local.contains("credentials_file: api-token"), local);
        String config = local.replace("scrape_interval: 5s", "scrape_interval: 1s")
                .replace("['127.0.1.203:8080']", "['" + service.layout().metricsAddress() + ":8080']")
                .replace("credentials_file: api-token", "credentials_file: "
                        + service.serviceDir().resolve("api-token").toAbsolutePath());
        Path file = Files.writeString(work.resolve("prometheus.yml"), config);
        Process check = new ProcessBuilder("promtool", "check", "config", file.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0, checked);
        Process process = new ProcessBuilder(requireCommand("prometheus"), "--config.file=" + file,
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        Poll.until(Duration.ofSeconds(60), "prometheus ready", () -> HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return process;
    }

    private Process startStatsd(int port) throws Exception {
        Path daemon = Path.of(System.getProperty("statsd.dir", "/tmp/hivemq-suite-statsd/node_modules/statsd"));
        if (!Files.isRegularFile(daemon.resolve("stats.js"))) {
            throw new IllegalStateException("the StatsD daemon is missing in " + daemon
                    + ": .ci/run installs it (npm install statsd@0.9.0 in /tmp/hivemq-suite-statsd)");
        }
        // counters add up until a flush: with one flush an hour they hold everything the test sent
        Path config = Files.writeString(work.resolve("statsd.js"), "{ address: \"127.0.0.1\", port: " + port
                + ", mgmt_address: \"127.0.0.1\", mgmt_port: " + statsdManagementPort
                + ", flushInterval: 3600000, backends: [\"./backends/console\"] }\n");
        Process process = new ProcessBuilder(requireCommand("node"), "stats.js", config.toString()).directory(daemon.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("statsd.log").toFile()).start();
        Poll.until(Duration.ofSeconds(30), "statsd management port", () -> {
            try (Socket ignored = new Socket("127.0.0.1", statsdManagementPort)) {
                return true;
            }
        });
        return process;
    }

    private static String requireCommand(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: .ci/run installs it (apt prometheus, nodejs)");
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
