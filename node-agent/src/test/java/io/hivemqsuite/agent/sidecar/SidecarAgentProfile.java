package io.hivemqsuite.agent.sidecar;

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

/** One real node for the sidecar commands, on 127.0.68.1 (reserved for these tests), small archive limit. */
public class SidecarAgentProfile implements QuarkusTestProfile {
    static final String ADDRESS = "127.0.68.1";
    static final String SECRET = "sidecar-test-secret-" + Long.toHexString(System.nanoTime());
    static final Path BASE = Path.of("target", "sidecar-agent-test").toAbsolutePath();
    static final Path NODE_DIR = BASE.resolve("nodes/hivemq-0");
    static final long MAX_ARCHIVE_BYTES = 200_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            killLeftovers();
            if (Files.exists(BASE)) {
                try (Stream<Path> files = Files.walk(BASE)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Files.createDirectories(NODE_DIR);
            Path spec = Files.writeString(BASE.resolve("spec.json"), """
                    {"service": {"name": "sidecartest"},
                     "node": {"count": 1, "heap": 64, "mem": 256},
                     "hivemq": {"hivemq_log_level": "INFO"}}
                    """);
            Path credential = BASE.resolve("credential");
            Files.writeString(credential, SECRET + "\n");
            Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
            Runtime.getRuntime().addShutdownHook(new Thread(SidecarAgentProfile::killLeftovers));
            return Map.of(
                    "suite.node.index", "0",
                    "suite.node.address", ADDRESS,
                    "suite.node.dir", NODE_DIR.toString(),
                    "suite.spec-file", spec.toString(),
                    "suite.credential-file", credential.toString(),
                    "suite.max-archive-bytes", Long.toString(MAX_ARCHIVE_BYTES),
                    "hivemq.suite.dist", LocalDistribution.fromEnvironment().root().toString(),
                    "quarkus.http.test-host", ADDRESS,
                    "quarkus.http.host", ADDRESS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void killLeftovers() {
        String home = "-Dhivemq.home=" + NODE_DIR.resolve("hivemq");
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(home)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
