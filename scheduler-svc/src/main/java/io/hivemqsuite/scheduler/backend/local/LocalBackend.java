package io.hivemqsuite.scheduler.backend.local;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.NodeNamespaces;
import io.hivemqsuite.protocol.dist.ServiceJvm;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.backend.ClusterBackend;
import io.hivemqsuite.scheduler.state.PodRecord;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs each node agent as a detached process on this machine, node i on its own loopback address. The agent
 * outlives the scheduler (own session, output to a file, never a pipe the scheduler would have to drain), and a
 * restarted scheduler recognises it by pid and by its command line naming the node's folder. With
 * {@code service.local_network_namespaces} each agent (and the broker it starts) runs in its node's own network
 * namespace ({@link NodeNamespaces}: made before the launch, kept while the node lives, removed when it stops).
 */
public final class LocalBackend implements ClusterBackend {
    private static final Logger LOG = Logger.getLogger(LocalBackend.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final LocalLayout layout;
    private final LocalDistribution distribution;
    /** Null unless the nodes run in network namespaces. */
    private final NodeNamespaces namespaces;

    public LocalBackend(LocalLayout layout, LocalDistribution distribution) {
        this.layout = layout;
        this.distribution = distribution;
        this.namespaces = layout.nodeNamespaces() ? new NodeNamespaces(layout) : null;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String nodeAddress(int index) {
        return layout.nodeAddress(index);
    }

    @Override
    public String agentUrl(int index) {
        return layout.agentUrl(index);
    }

    @Override
    public String logLocation(int index) {
        return logFile(index).toString();
    }

    private Path logFile(int index) {
        return layout.logDir().resolve("hivemq-" + index + "-node.log");
    }

    /** The marker that tells this node's agent apart from any other java process. */
    private String nodeDirArgument(int index) {
        return "-Dsuite.node.dir=" + layout.nodeDir(index).toAbsolutePath();
    }

    @Override
    public long launch(int index, ServiceOptions spec, String credential) {
        Path agentJar = distribution.require(distribution.nodeAgentJar());
        Path nodeDir = layout.nodeDir(index).toAbsolutePath();
        Path specFile = nodeDir.resolve("spec.json");
        Path credentialFile = nodeDir.resolve("internal-credential");
        try {
            Files.createDirectories(nodeDir);
            Files.createDirectories(layout.logDir());
            writeAtomically(specFile, OptionsReader.toJson(spec), "rw-r-----");
            writeAtomically(credentialFile, credential, "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + nodeDir + ": " + e.getMessage(), e);
        }
        // A broker left by a killed agent stays: the new agent adopts it when it runs the same configuration.
        stopOrphans(index, false);
        String address = layout.nodeAddress(index);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // Its own session: a Ctrl-C or a kill of the launcher's process group does not reach the agent.
            command.add(SETSID.toString());
        }
        if (namespaces != null) {
            try {
                namespaces.createNode(index);
            } catch (IllegalStateException e) {
                throw new UncheckedIOException("cannot create the network namespace of hivemq-" + index + ": "
                        + e.getMessage(), new IOException(e));
            }
            // `ip netns exec` execs the command in place: the pid and /proc cmdline stay the java agent's
            command.addAll(namespaces.exec(index, List.of()));
        }
        command.add(javaExecutable());
        command.addAll(ServiceJvm.NODE_AGENT.options(agentJar));
        command.addAll(List.of(
                "-Dquarkus.http.host=" + address,
                "-Dquarkus.http.port=" + LocalLayout.AGENT_PORT,
                "-Dsuite.node.index=" + index,
                "-Dsuite.node.address=" + address,
                nodeDirArgument(index),
                "-Dsuite.spec-file=" + specFile,
                "-Dsuite.credential-file=" + credentialFile,
                // named explicitly: sidecar-svc is part of this suite, so a new node waits for its change log
                "-Dsuite.sidecar-url=" + layout.sidecarUrl(),
                "-Dhivemq.suite.dist=" + distribution.root(),
                "-jar", agentJar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(nodeDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(index).toFile()))
                .redirectErrorStream(true);
        builder.environment().putAll(ServiceJvm.ENVIRONMENT);
        try {
            Process process = builder.start();
            LOG.infof("launched node agent %d (pid %d) on %s, log %s", index, process.pid(), address, logFile(index));
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the node agent of hivemq-" + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * Processes an agent of this node left behind when it was killed hard. Only called when no agent of this node
     * lives, so whatever still names the node's folder on its command line is such a leftover. Before a launch the
     * broker is spared (the new agent adopts it when it runs the same configuration, else stops it itself); when the
     * pod is stopped, nothing is.
     */
    private void stopOrphans(int index, boolean brokerToo) {
        String nodeDir = layout.nodeDir(index).toAbsolutePath().toString();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.isAlive())
                .filter(p -> brokerToo || !commandLine(p.pid()).map(args -> args.contains("com.hivemq.HiveMQServer"))
                        .orElse(false))
                .filter(p -> commandLine(p.pid()).map(args -> args.stream()
                        .anyMatch(a -> a.startsWith("-D")
                        && (a.endsWith("=" + nodeDir) || a.contains("=" + nodeDir + "/")))).orElse(false))
                .toList();
        for (ProcessHandle orphan : orphans) {
            LOG.warnf("stopping leftover process %d of node %d (its agent is gone)", orphan.pid(), index);
            orphan.destroy();
            if (!waitForExit(orphan, Duration.ofSeconds(15))) {
                orphan.destroyForcibly();
                waitForExit(orphan, Duration.ofSeconds(5));
            }
        }
    }

    @Override
    public boolean isRunning(PodRecord record) {
        return record.agentPid() > 0 && isAgentOf(record.agentPid(), record.index());
    }

    @Override
    public OptionalLong reattach(PodRecord record) {
        if (isRunning(record)) {
            return OptionalLong.of(record.agentPid());
        }
        String marker = nodeDirArgument(record.index());
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p.pid()).map(c -> isAgentCommand(c, marker)).orElse(false))
                .mapToLong(ProcessHandle::pid)
                .findFirst();
    }

    @Override
    public void kill(PodRecord record, Duration grace) {
        OptionalLong pid = reattach(record);
        if (pid.isEmpty()) {
            // no agent, but maybe the broker a killed one left (an adopted broker is no child of its agent either)
            stopOrphans(record.index(), true);
            removeNamespace(record.index());
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.getAsLong());
        if (handle.isEmpty()) {
            return;
        }
        // The broker is the agent's child; found before the agent goes, so an agent that must be forced does
        // not leave an orphan broker holding the node's ports.
        List<ProcessHandle> descendants = handle.get().descendants().toList();
        handle.get().destroy();
        if (!waitForExit(handle.get(), grace)) {
            LOG.warnf("node agent %d (pid %d) did not stop within %s: forcing it", record.index(), pid.getAsLong(), grace);
            handle.get().destroyForcibly();
            waitForExit(handle.get(), Duration.ofSeconds(5));
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroy();
                if (!waitForExit(child, Duration.ofSeconds(10))) {
                    child.destroyForcibly();
                }
            }
        }
        stopOrphans(record.index(), true);
        removeNamespace(record.index());
    }

    /** Once nothing of the node runs: its namespace would otherwise outlive it (the next launch makes a new one). */
    private void removeNamespace(int index) {
        if (namespaces != null) {
            try {
                namespaces.removeNode(index);
            } catch (IllegalStateException e) {
                LOG.warnf("cannot remove the network namespace of hivemq-%d: %s", index, e.getMessage());
            }
        }
    }

    @Override
    public void wipe(int index) {
        Path nodeDir = layout.nodeDir(index);
        if (!Files.exists(nodeDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(nodeDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + nodeDir + ": " + e.getMessage(), e);
        }
    }

    private boolean isAgentOf(long pid, int index) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        // A pid can be reused by an unrelated process after a reboot or a long pause: only our command line counts.
        return commandLine(pid).map(c -> isAgentCommand(c, nodeDirArgument(index))).orElse(false);
    }

    private static boolean isAgentCommand(List<String> args, String marker) {
        return args.contains(marker) && args.stream().anyMatch(a -> a.endsWith("quarkus-run.jar"))
                && !args.isEmpty() && args.get(0).endsWith("java");
    }

    /** From /proc, which (unlike ProcessHandle.Info on Linux) keeps every argument. */
    private static Optional<List<String>> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return Optional.empty();
            }
            return Optional.of(List.of(new String(raw, StandardCharsets.UTF_8).split("\0")));
        } catch (IOException | SecurityException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).map(c -> List.of(c.split(" ")));
        }
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return !handle.isAlive();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void writeAtomically(Path file, String content, String permissions) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
