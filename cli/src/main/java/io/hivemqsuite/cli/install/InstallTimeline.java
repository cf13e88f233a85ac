package io.hivemqsuite.cli.install;

import io.hivemqsuite.protocol.dist.LocalLayout;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code hivemq install --timings}: where an install spends its time, from the CLI's own JVM start to deploy
 * COMPLETE. What the CLI sees itself (each service launched, the scheduler healthy, each deploy step's status
 * changes, at the CLI's 200 ms poll) is set beside what the services already log with a time of day: each Quarkus
 * service's "started in", each node agent's broker launch and node state changes, each broker's "Started HiveMQ".
 * Log times have millisecond resolution but only a time of day, so they are read as today in the local zone.
 */
final class InstallTimeline {
    private static final Pattern TIME_OF_DAY = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})[,.](\\d{3})");

    record Mark(Instant at, String source, String what) {
    }

    private final Instant start;
    private final List<Mark> marks = new ArrayList<>();

    InstallTimeline() {
        // the JVM's own start, so the CLI's start-up counts as part of the install
        start = processStart();
        marks.add(new Mark(start, "cli", "JVM started"));
    }

    /**
     * When this process started. On Linux, {@link ProcessHandle.Info#startInstant()} adds the start (in clock ticks
     * since boot) to the boot time of {@code /proc/stat}, which is in whole seconds: the start comes out early by the
     * boot time's fraction of a second, up to 1 s, and every mark of the timeline late by as much. Here the start is
     * the time now less the time since the process started, both read against the uptime ({@code /proc/uptime},
     * {@code /proc/self/stat}: 10 ms ticks on Linux, whose USER_HZ is 100 on every architecture the suite runs on).
     */
    static Instant processStart() {
        Instant now = Instant.now();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which may hold spaces and ends at the last ')': state is field 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            long sinceStartMillis = Math.round(uptimeSeconds * 1000) - startTicks * 10;
            return now.minusMillis(Math.max(0, sinceStartMillis));
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant().orElse(now);
        }
    }

    private Instant end = Instant.MAX;

    synchronized void mark(String source, String what) {
        marks.add(new Mark(Instant.now(), source, what));
    }

    /** The last mark: what the logs say happened later is not part of the install. */
    synchronized void finish(String source, String what) {
        end = Instant.now();
        marks.add(new Mark(end, source, what));
    }

    /** Reads the service and node logs for the marks they hold, then prints all marks in time order. */
    void print(LocalLayout layout, int nodes, PrintWriter out) {
        for (SuiteService service : SuiteService.values()) {
            Path log = layout.logDir().resolve(service.logName() + ".log");
            fromLog(log, service.logName(), InstallTimeline::quarkusStarted, "Quarkus started");
        }
        for (int i = 0; i < nodes; i++) {
            String source = "hivemq-" + i;
            Path log = layout.logDir().resolve("hivemq-" + i + "-node.log");
            fromLog(log, source + " agent", InstallTimeline::quarkusStarted, "Quarkus started");
            fromLog(log, source + " agent", line -> line.contains("started broker pid"), "broker launched");
            allFromLog(log, source + " agent", Pattern.compile("node \\d+ ([A-Z_]+):"));
            brokerLog(layout.nodeDir(i)).ifPresent(brokerLog -> fromLog(brokerLog, source + " broker",
                    line -> line.contains("Started HiveMQ in"), "Started HiveMQ"));
        }
        List<Mark> sorted = marks.stream().sorted(Comparator.comparing(Mark::at)).toList();
        out.println();
        out.println("Timeline (ms since the CLI's JVM started):");
        long previous = 0;
        for (Mark mark : sorted) {
            long at = mark.at().toEpochMilli() - start.toEpochMilli();
            out.printf("  %7d  %+7d  %-20s %s%n", at, at - previous, mark.source(), mark.what());
            previous = at;
        }
        out.flush();
    }

    private static boolean quarkusStarted(String line) {
        return line.contains("(powered by Quarkus") && line.contains(" started in ");
    }

    private void fromLog(Path log, String source, Predicate<String> matches, String what) {
        lines(log).filter(matches).findFirst().flatMap(InstallTimeline::timeOf)
                .ifPresent(at -> add(new Mark(at, source, what)));
    }

    /** Every state the agent reported for its node ("node 0 RUNNING: ..."), each change once. */
    private void allFromLog(Path log, String source, Pattern state) {
        String last = null;
        for (String line : lines(log).toList()) {
            Matcher matcher = state.matcher(line);
            if (matcher.find() && !matcher.group(1).equals(last)) {
                last = matcher.group(1);
                String what = "node " + last;
                timeOf(line).ifPresent(at -> add(new Mark(at, source, what)));
            }
        }
    }

    private synchronized void add(Mark mark) {
        // a log from before this install (a reused folder) says nothing about it
        if (!mark.at().isBefore(start) && mark.at().isBefore(end)) {
            marks.add(mark);
        }
    }

    private static Optional<Path> brokerLog(Path nodeDir) {
        try (Stream<Path> files = Files.walk(nodeDir, 4)) {
            return files.filter(p -> p.getFileName().toString().equals("hivemq.log")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Stream<String> lines(Path log) {
        try {
            return Files.readAllLines(log).stream();
        } catch (IOException | RuntimeException e) {
            return Stream.empty(); // not written (yet) or unreadable: the timeline just lacks those marks
        }
    }

    private static Optional<Instant> timeOf(String line) {
        Matcher matcher = TIME_OF_DAY.matcher(line);
        if (!matcher.find()) {
            return Optional.empty();
        }
        LocalTime time = LocalTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)) * 1_000_000);
        return Optional.of(time.atDate(LocalDate.now()).atZone(ZoneId.systemDefault()).toInstant());
    }
}
