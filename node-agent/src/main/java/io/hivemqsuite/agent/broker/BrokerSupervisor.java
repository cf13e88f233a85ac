package io.hivemqsuite.agent.broker;

import io.hivemqsuite.agent.health.ListenerProbe;
import io.hivemqsuite.agent.status.BrokerPhase;
import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one broker JVM running: launches it, waits until it really serves (log line + every listener),
 * probes it, restarts it with backoff when it dies, and stops it cleanly. The broker writes its output to a
 * file, so it keeps running even while the agent is gone; the pid file lets the next agent find it.
 */
public final class BrokerSupervisor {
    private static final Logger LOG = Logger.getLogger(BrokerSupervisor.class);
    static final String STARTED_LINE = "Started HiveMQ in";
    private static final long FIRST_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** A broker that served this long before dying is not crash-looping: the next restart is quick again. */
    private static final long STABLE_MILLIS = 60_000;
    private static final long PROBE_MILLIS = 2_000;
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final BrokerLaunch launch;
    private final NodeStatusBoard board;
    private final List<ListenerEndpoint> listeners;
    private final String address;
    private final Thread thread;
    private volatile boolean running;
    /** The broker now: one this supervisor launched, or one an earlier agent left running that it adopted. */
    private volatile ProcessHandle process;
    /** Set when the broker is our child: only then is its exit code known. */
    private volatile Process child;
    private volatile ProcessHandle adopted;
    /** Deaths since the broker last served {@link #STABLE_MILLIS}: the first is restarted at once. */
    private int crashesSinceStable;
    private volatile String restartReason;
    private int starts;

    public BrokerSupervisor(BrokerLaunch launch, NodeStatusBoard board, List<ListenerEndpoint> listeners, String address) {
        this.launch = launch;
        this.board = board;
        this.listeners = List.copyOf(listeners);
        this.address = address;
        this.thread = new Thread(this::superviseLoop, "broker-supervisor");
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /**
     * Starts supervising a broker an earlier agent of this node left running (the agent was killed, the broker was
     * fine): no restart, so its clients, sessions and routing links stay; it is probed like one we started.
     */
    public void adopt(ProcessHandle broker) {
        adopted = broker;
        start();
    }

    /** Stops supervising and the broker: SIGTERM, up to 20 s for HiveMQ's own shutdown, then SIGKILL. */
    public void stop() {
        running = false;
        thread.interrupt();
        ProcessHandle p = process;
        if (p != null) {
            terminate(p, "agent shutdown");
        }
        try {
            thread.join(STOP_GRACE.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deletePidFile();
        board.broker(BrokerPhase.STOPPED, 0, starts, "broker stopped by its agent");
    }

    /**
     * A wanted restart (a sidecar change that CE loads only at start): stops the broker and starts it again at
     * once, without the crash backoff.
     */
    public void restart(String why) {
        ProcessHandle p = process;
        if (p == null) {
            return;
        }
        restartReason = why;
        terminate(p, why);
    }

    public Optional<ProcessHandle> process() {
        return Optional.ofNullable(process);
    }

    private void superviseLoop() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (running) {
            ProcessHandle p;
            long logOffset = size(launch.home().brokerLog());
            boolean wasAdopted = adopted != null;
            try {
                p = wasAdopted ? adoptNow() : launch();
            } catch (IOException e) {
                LOG.errorf("cannot launch the broker: %s", e.getMessage());
                board.broker(BrokerPhase.RESTARTING, 0, starts, "cannot launch the broker (" + e.getMessage()
                        + "); retrying in " + backoff / 1000 + " s");
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                continue;
            }
            long healthySince = 0;
            if (awaitReady(p, logOffset, wasAdopted)) {
                healthySince = System.currentTimeMillis();
                board.broker(BrokerPhase.RUNNING, p.pid(), starts, "broker running");
                monitor(p);
            }
            if (!running) {
                return;
            }
            int code = waitForExit(p);
            process = null;
            child = null;
            deletePidFile();
            String wanted = restartReason;
            if (wanted != null) {
                restartReason = null;
                LOG.infof("broker pid %d stopped for a restart: %s", p.pid(), wanted);
                board.broker(BrokerPhase.RESTARTING, 0, starts, "broker restarting: " + wanted);
                continue;
            }
            if (healthySince > 0 && System.currentTimeMillis() - healthySince >= STABLE_MILLIS) {
                backoff = FIRST_BACKOFF_MILLIS;
                crashesSinceStable = 0;
            }
            // The first death of a broker that served is not a crash loop: its clients wait, so it comes back at
            // once; only a broker that dies again (or never served) is restarted with backoff.
            long wait = healthySince > 0 && crashesSinceStable == 0 ? 0 : backoff;
            crashesSinceStable++;
            LOG.warnf("broker pid %d exited with code %d; restarting in %d ms", p.pid(), code, wait);
            board.broker(BrokerPhase.RESTARTING, 0, starts, "broker exited with code " + code + "; restarting in "
                    + wait / 1000 + " s (see " + launch.home().consoleLog() + ")");
            if (wait == 0) {
                continue;
            }
            if (!sleep(wait)) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private ProcessHandle adoptNow() {
        ProcessHandle p = adopted;
        adopted = null;
        process = p;
        LOG.infof("adopted broker pid %d, left running by an earlier agent of this node", p.pid());
        board.broker(BrokerPhase.STARTING, p.pid(), starts, "adopted the running broker pid " + p.pid());
        return p;
    }

    private ProcessHandle launch() throws IOException {
        Files.createDirectories(launch.home().log());
        ProcessBuilder builder = new ProcessBuilder(launch.command())
                .directory(launch.home().root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.home().consoleLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = builder.start();
        child = p;
        process = p.toHandle();
        starts++;
        Files.writeString(launch.pidFile(), Long.toString(p.pid()), StandardCharsets.US_ASCII);
        LOG.infof("started broker pid %d: %s", p.pid(), String.join(" ", launch.command()));
        board.broker(BrokerPhase.STARTING, p.pid(), starts, "broker pid " + p.pid() + " starting");
        return p.toHandle();
    }

    /**
     * True once the broker logged its start (an adopted one did so before we came) and every listener accepts; false
     * if it died or we stop.
     */
    private boolean awaitReady(ProcessHandle p, long logOffset, boolean startLogged) {
        long since = System.currentTimeMillis();
        boolean logged = startLogged;
        long logPosition = logOffset;
        while (running && p.isAlive()) {
            if (!logged) {
                Path log = launch.home().brokerLog();
                if (size(log) < logPosition) {
                    logPosition = 0; // rolled over
                }
                String fresh = readFrom(log, logPosition);
                logPosition += fresh.getBytes(StandardCharsets.UTF_8).length;
                logged = fresh.contains(STARTED_LINE);
            }
            if (logged && listeners.stream().allMatch(l -> ListenerProbe.accepts(address, l.port()))) {
                return true;
            }
            long waited = (System.currentTimeMillis() - since) / 1000;
            if (waited >= 30) {
                board.broker(BrokerPhase.STARTING, p.pid(), starts, "broker pid " + p.pid() + " has not "
                        + (logged ? "opened every listener" : "logged its start") + " after " + (waited / 10 * 10) + " s");
            }
            if (exited(p, 250)) {
                return false;
            }
        }
        return false;
    }

    private void monitor(ProcessHandle p) {
        while (running) {
            for (ListenerEndpoint l : listeners) {
                board.listener(l.listener().endpointName(), ListenerProbe.accepts(address, l.port()));
            }
            board.tick();
            if (exited(p, PROBE_MILLIS)) {
                return;
            }
        }
    }

    /** True when the broker ended within {@code millis}, or when we are interrupted (stopping). */
    private static boolean exited(ProcessHandle p, long millis) {
        try {
            p.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        }
    }

    /** The exit code of a broker we launched; -1 for an adopted one (not our child: its code is not ours to read). */
    private int waitForExit(ProcessHandle p) {
        try {
            p.onExit().get();
            Process c = child;
            return c != null && c.pid() == p.pid() ? c.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(launch.pidFile());
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", launch.pidFile(), e.getMessage());
        }
    }

    /**
     * Stops a broker an earlier agent left running on this home: HiveMQ locks its data folder, so a second
     * broker on the same home could not start. A pid reused by an unrelated process is left alone.
     */
    public static void stopStale(Path pidFile, Path home) {
        leftOver(pidFile, home).ifPresent(h -> terminate(h, "stale broker of an earlier agent"));
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", pidFile, e.getMessage());
        }
    }

    /** The broker an earlier agent left running on this home, if its pid file names a live one. */
    public static Optional<ProcessHandle> leftOver(Path pidFile, Path home) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("ignoring unreadable pid file %s: %s", pidFile, e.getMessage());
            return Optional.empty();
        }
        String homeArg = "-Dhivemq.home=" + home.toAbsolutePath();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(homeArg)).orElse(false));
    }

    static void terminate(ProcessHandle handle, String why) {
        LOG.infof("stopping broker pid %d (%s)", handle.pid(), why);
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("broker pid %d did not stop within %d s: killing it", handle.pid(), STOP_GRACE.toSeconds());
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more we can do than SIGKILL
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readFrom(Path file, long offset) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
            in.seek(offset);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
