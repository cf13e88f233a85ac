package io.hivemqsuite.agent.node;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real node: spec, credential and node folder under target/, the broker on 127.0.66.1 (an address no
 * other module's tests use) with the smallest heap the spec allows.
 */
public class AgentTestProfile implements QuarkusTestProfile {
    static final String ADDRESS = "127.0.66.1";
    static final int MQTT_PORT = 1883;
    static final int WEBSOCKET_PORT = 8000;
    static final String SECRET = "test-secret-" + Long.toHexString(System.nanoTime());
    static final Path BASE = Path.of("target", "agent-test").toAbsolutePath();
    static final Path NODE_DIR = BASE.resolve("nodes/hivemq-0");

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            deleteRecursively(BASE);
            Files.createDirectories(NODE_DIR);
            Path spec = Files.writeString(BASE.resolve("spec.json"), """
                    {"service": {"name": "/test/hivemq"},
                     "node": {"count": 1, "heap": 64, "mem": 256},
                     "hivemq": {"hivemq_log_level": "WARN",
                                "listener_configuration": {"mqtt_port": %d, "websocket_enabled": true,
                                                           "websocket_port": %d, "mqtt_tls_enabled": true}}}
                    """.formatted(MQTT_PORT, WEBSOCKET_PORT));
            // What the scheduler does before a launch with a TLS listener: the node's certificate in <nodeDir>/tls.
            io.hivemqsuite.agent.tls.TlsListenersTest.certificate(NODE_DIR, "hivemq-0-node.testhivemq.autoip.dcos.thisdcos.directory");
            Path credential = BASE.resolve("credential");
            Files.writeString(credential, SECRET + "\n");
            Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
            Runtime.getRuntime().addShutdownHook(new Thread(AgentTestProfile::killLeftovers));
            return Map.of(
                    "suite.node.index", "0",
                    "suite.node.address", ADDRESS,
                    "suite.node.dir", NODE_DIR.toString(),
                    "suite.spec-file", spec.toString(),
                    "suite.credential-file", credential.toString(),
                    "hivemq.suite.dist", LocalDistribution.fromEnvironment().root().toString(),
                    "quarkus.http.test-host", ADDRESS,
                    "quarkus.http.host", ADDRESS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Last resort should a test JVM end without the agent's own shutdown: no broker may outlive the build. */
    static void killLeftovers() {
        String home = "-Dhivemq.home=" + NODE_DIR.resolve("hivemq");
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(home)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        killLeftovers();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
