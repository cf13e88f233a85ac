package io.hivemqsuite.protocol.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that sizes the JVM of each of the suite's own services (everything but the brokers): the CLI's
 * launcher uses it for scheduler-svc, endpoint-svc, sidecar-svc and metrics-svc, the scheduler's local and Mesos
 * backends for the node agents. Each is a small control-plane service that holds a few MB of live objects; the
 * JVM's defaults (an initial heap of 1/64 of the machine's memory, a C2 compiler, 2 event loops per core, a malloc
 * arena per thread) are sized for one big application per machine, and on a laptop with 24 GB gave each service
 * ~140 MB RSS of which most was an eden the service never needed.
 *
 * <p>Heap: a small initial heap that grows only when a collection leaves less than 10% free and is given back when
 * more than 30% is, so the resident heap follows the live set (~12 MB for every service) rather than {@code -Xmx}.
 * {@code -Xmx} stays a ceiling for bursts (a large update plan, many endpoint watchers). Metaspace and code cache
 * caps are ~2x what the service uses after start-up and a deploy, so a leak is an error rather than slow growth.
 * Thread stacks: 512 KB is ample for REST handlers and ZooKeeper. C1 only: these services are I/O-bound and mostly
 * idle, the C2 compiler's threads and code would cost memory and start-up time for no gain.
 *
 * <p>Class-data sharing: the build writes each Quarkus service's archive ({@value #CDS_ARCHIVE}, next to its
 * {@code quarkus-run.jar}, local-layout's {@code service-cds.sh}); {@link #options(Path)} maps it when it is there.
 * The classes of the archive come parsed and verified (metrics-svc: ~15-25% less CPU until Quarkus started), and
 * their read-only pages are shared between the processes of one kind (the three node agents). A missing archive is
 * left out; a stale one (a jar rebuilt since) the JVM itself refuses with a warning and loads the classes as without.
 */
public enum ServiceJvm {
    /** Plans, pods, ZooKeeper (in-process), the REST API the CLI talks to. */
    SCHEDULER(96, 72, 20, 1, 4),
    /** DNS names and the VIP: the VIP's proxying runs on the event loops, so it keeps two. */
    ENDPOINTS(64, 56, 16, 2, 4),
    /** Plan runner for broker extensions and backups; ZooKeeper client. */
    SIDECAR(64, 64, 16, 1, 4),
    /** Scrapes the agents and re-exposes one Prometheus page. */
    METRICS(48, 56, 16, 1, 2),
    /** One per node, next to its broker: a supervisor and health prober, sized like one. */
    NODE_AGENT(48, 64, 16, 1, 4);

    /** The class-data sharing archive the build writes next to a service's {@code quarkus-run.jar}. */
    public static final String CDS_ARCHIVE = "service-cds.jsa";

    /**
     * The brokers' class-data sharing archive, next to a broker's {@code lib} folder: broker-distribution's build
     * writes it (broker-cds.sh), the node agent maps it with {@link #classDataSharing(Path)}.
     */
    public static final String BROKER_CDS_ARCHIVE = "broker-cds.jsa";

    /** glibc's default is 8 arenas per core, each keeping freed memory; two are plenty for these few threads. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private final int maxHeapMb;
    private final int metaspaceMb;
    private final int codeCacheMb;
    private final int eventLoops;
    private final int workerThreads;

    ServiceJvm(int maxHeapMb, int metaspaceMb, int codeCacheMb, int eventLoops, int workerThreads) {
        this.maxHeapMb = maxHeapMb;
        this.metaspaceMb = metaspaceMb;
        this.codeCacheMb = codeCacheMb;
        this.eventLoops = eventLoops;
        this.workerThreads = workerThreads;
    }

    /** The JVM options and Quarkus/Vert.x/Netty pool settings, to go before {@code -jar}. */
    public List<String> options() {
        return List.of(
                "-Xms8m",
                "-Xmx" + maxHeapMb + "m",
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:CICompilerCount=1",
                "-XX:MaxMetaspaceSize=" + metaspaceMb + "m",
                "-XX:ReservedCodeCacheSize=" + codeCacheMb + "m",
                "-Xss512k",
                // hands malloc'd memory freed after start-up (class parsing, compilation) back to the OS
                "-XX:TrimNativeHeapInterval=10000",
                // Netty's pooled allocator keeps an arena per core for each of heap and direct buffers
                "-Dio.netty.allocator.numHeapArenas=1",
                "-Dio.netty.allocator.numDirectArenas=1",
                "-Dquarkus.vertx.event-loops-pool-size=" + eventLoops,
                "-Dquarkus.vertx.worker-pool-size=" + workerThreads,
                "-Dquarkus.vertx.internal-blocking-pool-size=2");
    }

    /** {@link #options()} and, when the build wrote it, the service's class-data sharing archive next to its jar. */
    public List<String> options(Path jar) {
        List<String> options = new ArrayList<>(options());
        options.addAll(classDataSharing(jar.toAbsolutePath().resolveSibling(CDS_ARCHIVE)));
        return List.copyOf(options);
    }

    /**
     * The options that map a CDS archive, none when it is missing. {@code -Xshare:auto} (the default, named so no
     * user's {@code JAVA_TOOL_OPTIONS} makes a stale archive fatal): the JVM runs without the archive rather than
     * refusing to start.
     */
    public static List<String> classDataSharing(Path archive) {
        return Files.isRegularFile(archive)
                ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
                : List.of();
    }

    /**
     * {@link #options(Path)} as one shell word list (local mode's {@code JAVA_OPTS} for the Marathon group's cmd). The
     * cmd expands it unquoted, so an archive whose path holds whitespace is left out rather than split into words.
     */
    public String shellOptions(Path jar) {
        return options(jar).stream()
                .filter(option -> !option.chars().anyMatch(Character::isWhitespace))
                .reduce((a, b) -> a + " " + b)
                .orElse("");
    }
}
