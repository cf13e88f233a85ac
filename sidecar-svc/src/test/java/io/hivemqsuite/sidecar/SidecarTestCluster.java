package io.hivemqsuite.sidecar;

import io.hivemqsuite.testext.TestArchives;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything sidecar-svc talks to, for real: an embedded ZooKeeper, real node agents (their own JVMs, from the
 * node-agent build) each running a real HiveMQ broker, and an HTTP server with extension archives. Slot 69:
 * nodes on 127.0.69.1.., sidecar-svc on 127.0.69.202, ZooKeeper on 127.0.69.200.
 */
public class SidecarTestCluster implements QuarkusTestResourceLifecycleManager {
    static final int SLOT = 69;
    static final int NODES = 2;
    static final String SERVICE = "sidecarsvc";
    static final String TOKEN = "api-token-" + Long.toHexString(System.nanoTime());
    static final String SECRET = "internal-" + Long.toHexString(System.nanoTime());
    static final Path BASE = Path.of("target", "sidecar-test").toAbsolutePath();
    static final String ZK = "127.0.69.200:12181";
    static final int HTTP_PORT = 18202;
    static final long MAX_ARCHIVE_BYTES = 200_000;
    static final List<Process> agents = new ArrayList<>();
    static TestArchives archives;
    private static ZooKeeperServer zk;
    private static ServerCnxnFactory zkFactory;

    static String address(int node) {
        return "127.0." + SLOT + "." + (node + 1);
    }

    static Path nodeDir(int node) {
        return BASE.resolve("nodes/hivemq-" + node);
    }

    static Path extensions(int node) {
        return nodeDir(node).resolve("hivemq/extensions");
    }

    @Override
    public Map<String, String> start() {
        try {
            killBrokers();
            deleteRecursively(BASE);
            Files.createDirectories(BASE);
            Path spec = Files.writeString(BASE.resolve("spec.json"), """
                    {"service": {"name": "%s"}, "node": {"count": %d, "heap": 64, "mem": 256},
                     "hivemq": {"hivemq_log_level": "INFO"}}
                    """.formatted(SERVICE, NODES));
            Path token = secretFile("token", TOKEN);
            Path credential = secretFile("credential", SECRET);
            System.setProperty("zookeeper.admin.enableServer", "false");
            Path zkDir = Files.createDirectories(BASE.resolve("zookeeper"));
            zk = new ZooKeeperServer(zkDir.toFile(), zkDir.toFile(), 2000);
            zkFactory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.69.200", 12181), 60);
            zkFactory.startup(zk);
            archives = new TestArchives("127.0.69.250");
            for (int i = 0; i < NODES; i++) {
                startAgent(i);
            }
            for (int i = 0; i < NODES; i++) {
                awaitHealthy(i, Duration.ofSeconds(120));
            }
            return Map.ofEntries(
                    Map.entry("suite.service-name", SERVICE),
                    Map.entry("suite.slot", Integer.toString(SLOT)),
                    Map.entry("suite.spec-file", spec.toString()),
                    Map.entry("suite.token-file", token.toString()),
                    Map.entry("suite.credential-file", credential.toString()),
                    Map.entry("suite.zookeeper.connect", ZK),
                    Map.entry("suite.max-archive-bytes", Long.toString(MAX_ARCHIVE_BYTES)),
                    Map.entry("quarkus.http.host", "127.0.69.202"),
                    Map.entry("quarkus.http.test-host", "127.0.69.202"),
                    Map.entry("quarkus.http.test-port", Integer.toString(HTTP_PORT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts node i's agent in its own JVM, as the scheduler's local backend would. */
    static void startAgent(int i) throws IOException {
        Path dist = LocalDistribution.fromEnvironment().root();
        Files.createDirectories(nodeDir(i));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC",
                "-Dsuite.node.index=" + i,
                "-Dsuite.node.address=" + address(i),
                "-Dsuite.node.dir=" + nodeDir(i),
                "-Dsuite.spec-file=" + BASE.resolve("spec.json"),
                "-Dsuite.credential-file=" + BASE.resolve("credential"),
                "-Dsuite.max-archive-bytes=" + MAX_ARCHIVE_BYTES,
                "-Dsuite.sidecar-url=http://127.0.69.202:" + HTTP_PORT,
                "-Dhivemq.suite.dist=" + dist,
                "-Dquarkus.http.host=" + address(i),
                "-Dquarkus.http.port=9100",
                "-jar", LocalDistribution.fromEnvironment().nodeAgentJar().toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(BASE.resolve("agent-" + i + ".log").toFile()).start();
        agents.add(p);
    }

    static String agentStatus(int i) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + address(i) + ":9100/v1/node/status"))
                    .header("Authorization", "Bearer " + SECRET).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static int brokerStarts(int i) {
        String s = agentStatus(i);
        var m = java.util.regex.Pattern.compile("\"brokerStarts\"\\s*:\\s*(\\d+)").matcher(s);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static void awaitHealthy(int i, Duration within) throws InterruptedException {
        org.awaitility.Awaitility.await("node " + i + " healthy (see " + BASE + "/agent-" + i + ".log)")
                .atMost(within).pollInterval(Duration.ofMillis(500))
                .until(() -> SidecarTestCluster.agentStatus(i), status -> status.contains("\"HEALTHY\""));
    }

    @Override
    public void stop() {
        for (Process p : agents) {
            p.destroy();
        }
        for (Process p : agents) {
            try {
                if (!p.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        killBrokers();
        if (archives != null) {
            archives.close();
        }
        if (zkFactory != null) {
            zkFactory.shutdown();
            zk.shutdown();
        }
    }

    /** No broker of these tests may outlive them, even after a failed run. */
    static void killBrokers() {
        String home = "-Dhivemq.home=" + BASE.resolve("nodes");
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(home)
                        || c.contains("-Dsuite.node.dir=" + BASE.resolve("nodes"))).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static Path secretFile(String name, String value) throws IOException {
        Path file = BASE.resolve(name);
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
