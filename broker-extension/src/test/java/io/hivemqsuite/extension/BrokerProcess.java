package io.hivemqsuite.extension;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HiveMQ CE broker as its own process ({@code com.hivemq.HiveMQServer} on broker-distribution's jars, as the
 * node agent runs it), with the packaged extension installed the way the agent installs it. A process, not a broker
 * embedded in the test JVM: the broker gets exactly the jars it ships with (not the test class path's versions),
 * several brokers do not share HiveMQ's static state, and a peer can be stopped and restarted on its own.
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

    /**
     * Lays out a broker's home for {@code host:port}, with the packaged extension unzipped into its extensions folder
     * exactly as the node agent installs it; does not start it.
     *
     * @param settings       the content of the extension's suite.properties, or null to leave the file out
     * @param extensionFiles more files for the extension folder (path relative to it, content), as the agent writes them
     */
    static BrokerProcess install(int index, String host, int port, String settings, Map<String, byte[]> extensionFiles)
            throws IOException {
        Path home = Files.createTempDirectory("suite-broker-" + index + "-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("log"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        // Usage statistics off: nothing may leave loopback.
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
        if (settings != null) {
            Files.writeString(folder.resolve("suite.properties"), settings);
        }
        for (Map.Entry<String, byte[]> file : extensionFiles.entrySet()) {
            Path target = folder.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return new BrokerProcess(index, host, port, home);
    }

    /** Lays out node {@code index} of a routed cluster of {@code count} on 127.0.77.(i+1):port; does not start it. */
    static BrokerProcess layout(int index, int count, int port, boolean digest, int queueMax) throws IOException {
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < count; i++) {
            peers.append("node.").append(i).append("=127.0.77.").append(i + 1).append(':').append(port).append('\n');
        }
        BrokerProcess node = install(index, "127.0.77." + (index + 1), port, SuiteBroker.validSettings(true)
                        + "routing.enabled=true\nnode.index=" + index + "\nrouting.subscription-digest=" + digest
                        + "\nrouting.peer-queue.max-messages=" + queueMax + "\nrouting.peer-queue.max-bytes=67108864\n",
                Map.of("peers.properties", peers.toString().getBytes(StandardCharsets.UTF_8)));
        Path secret = node.home.resolve("extensions").resolve(SuiteBroker.EXTENSION_ID).resolve("link.secret");
        Files.writeString(secret, SuiteBroker.SECRET);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        return node;
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
