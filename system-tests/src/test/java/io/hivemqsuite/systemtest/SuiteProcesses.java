package io.hivemqsuite.systemtest;

import io.hivemqsuite.protocol.dist.LocalDistribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The processes of this machine whose command line contains a marker (the test's suite home). */
final class SuiteProcesses {
    enum Role { SUPERVISOR, SCHEDULER, AGENT, BROKER, OTHER }

    record Proc(long pid, String commandLine) {
        Role role() {
            if (commandLine.contains("supervise.sh")) {
                return Role.SUPERVISOR;
            }
            if (commandLine.contains("com.hivemq.HiveMQServer")) {
                return Role.BROKER;
            }
            if (commandLine.contains(jarOf(LocalDistribution::nodeAgentJar))) {
                return Role.AGENT;
            }
            if (commandLine.contains(serviceJar("scheduler-svc"))) {
                return Role.SCHEDULER;
            }
            return Role.OTHER;
        }

        boolean isJava() {
            String first = commandLine.split(" ", 2)[0];
            return first.endsWith("java");
        }
    }

    private SuiteProcesses() {
    }

    /** A built piece's path below the checkout (e.g. the node agent's jar), as it shows in a command line. */
    static String jarOf(Function<LocalDistribution, Path> piece) {
        LocalDistribution dist = new LocalDistribution(Cli.dist());
        return dist.root().relativize(piece.apply(dist)).toString();
    }

    /**
     * A suite service's jar as it shows in its command line: run by the Marathon group's cmd from the app's sandbox
     * ({@code $MESOS_SANDBOX/<module>/quarkus-run.jar}, a link to the module's built quarkus-app folder).
     */
    static String serviceJar(String module) {
        return "/" + module + "/quarkus-run.jar";
    }

    static List<Proc> containing(String marker) {
        List<Proc> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                try {
                    byte[] raw = Files.readAllBytes(entry.resolve("cmdline"));
                    String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
                    if (!cmd.isEmpty() && cmd.contains(marker)) {
                        found.add(new Proc(Long.parseLong(name), cmd));
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    static List<Proc> withRole(String marker, Role role) {
        return containing(marker).stream().filter(p -> p.role() == role).toList();
    }

    /** SIGKILL everything carrying the marker, until nothing is left: the last resort of every test's cleanup. */
    static void killAll(String marker) {
        try {
            // A supervisor may start a child between two rounds: kill until nothing with the marker is left.
            Poll.until(java.time.Duration.ofSeconds(10), "no process naming " + marker, () -> {
                List<Proc> left = containing(marker);
                left.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
                return left.isEmpty();
            });
        } catch (AssertionError e) {
            System.out.println("processes left after killing: " + containing(marker));
        }
    }
}
