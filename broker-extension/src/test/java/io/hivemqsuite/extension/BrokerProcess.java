package io.hivemqsuite.extension;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HiveMQ CE broker as its own process ({@code com.hivemq.HiveMQServer}, as the node agent runs it), with the
 * packaged extension installed and routing configured the way the agent writes it. Several brokers in one JVM
 * would share HiveMQ's static state, and a peer must be stoppable and restartable on its own.
 */
final class BrokerProcess implements AutoCloseable {
    static final String SERVICE = "hivemq";

    final int index;
    final String host;
    final int port;
    final Path home;
    private Process process;

    private BrokerProcess(int index, String host, int port, Path home) {
        this.index = index;
        this.host = host;
        this.port = port;
        this.home = home;
    }

    /** Lays out node {@code index} of a cluster of {@code count} on 127.0.77.(i+1):port; does not start it. */
    static BrokerProcess layout(int index, int count, int port, boolean digest, int queueMax) throws IOException {
        String host = "127.0.77." + (index + 1);
        Path home = Files.createTempDirectory("suite-node-" + index + "-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("log"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener><port>%d</port><bind-address>%s</bind-address></tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, host));
        SuiteBroker.unzip(SuiteBroker.extensionZip(), extensions);
        Path folder = extensions.resolve(SuiteBroker.EXTENSION_ID);
        Files.writeString(folder.resolve("suite.properties"), SuiteBroker.validSettings(true)
                + "routing.enabled=true\nnode.index=" + index + "\nrouting.subscription-digest=" + digest
                + "\nrouting.peer-queue.max-messages=" + queueMax + "\nrouting.peer-queue.max-bytes=67108864\n");
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < count; i++) {
            peers.append("node.").append(i).append("=127.0.77.").append(i + 1).append(':').append(port).append('\n');
        }
        Files.writeString(folder.resolve("peers.properties"), peers);
        Path secret = folder.resolve("link.secret");
        Files.writeString(secret, SuiteBroker.SECRET);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        return new BrokerProcess(index, host, port, home);
    }

    /**
     * The broker's class path: broker-distribution's lib folder (the build passes it as {@code broker.lib.dir}), the
     * jars the node agent starts HiveMQ from, not this test JVM's class path.
     */
    private static String brokerClassPath() {
        String lib = System.getProperty("broker.lib.dir");
        if (lib == null || !Files.isDirectory(Path.of(lib))) {
            throw new IllegalStateException("broker.lib.dir=" + lib + " is not a folder: run the tests through Maven"
                    + " (mvn verify -pl broker-extension -am builds broker-distribution first)");
        }
        return Path.of(lib, "*").toString();
    }

    BrokerProcess start() throws Exception {
        Path out = home.resolve("broker.out");
        Files.deleteIfExists(out);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dhivemq.home=" + home));
        // Profiling: -Drouting.benchmark.jfr=<dir> records each broker (node-<i>-<pid of this JVM>.jfr, on exit).
        String jfr = System.getProperty("routing.benchmark.jfr");
        if (jfr != null && !jfr.isBlank()) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(jfr, "node-" + index + "-" + port + ".jfr"));
        }
        command.addAll(List.of("-cp", brokerClassPath(), "com.hivemq.HiveMQServer"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("HIVEMQ"));
        process = builder.start();
        return this;
    }

    void awaitStarted() throws Exception {
        Path out = home.resolve("broker.out");
        try {
            Awaitility.await("broker " + index + " started").atMost(Duration.ofSeconds(90))
                    .failFast("broker " + index + " exited", () -> !process.isAlive())
                    .until(() -> Files.exists(out) && Files.readString(out).contains("Started HiveMQ in"));
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + ": " + Files.readString(out), e);
        }
    }

    /** CPU time (user + system) this broker process has used so far; 0 when the OS does not report it. */
    long cpuNanos() {
        return process == null ? 0 : process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    String log() throws IOException {
        return Files.readString(home.resolve("broker.out"));
    }

    /** A crash (SIGKILL): no shutdown hook, no last words to the peers. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A graceful stop (SIGTERM: HiveMQ's shutdown hook persists its state). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Starts the given brokers side by side (the 2 cores start them faster together than one by one). */
    static void startAll(List<BrokerProcess> brokers) throws Exception {
        for (BrokerProcess b : brokers) {
            b.start();
        }
        for (BrokerProcess b : brokers) {
            b.awaitStarted();
        }
    }
}
