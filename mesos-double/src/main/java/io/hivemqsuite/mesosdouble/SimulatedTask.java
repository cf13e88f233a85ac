package io.hivemqsuite.mesosdouble;

import io.hivemqsuite.mesosdouble.resources.Resources;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A task of a task group, run as a real process ({@code sh -c <command>}) in its own sandbox folder on its
 * agent's address, with the persistent volumes of its resources linked into the sandbox at their container
 * paths. Its status updates queue up as an agent's status update manager keeps them: one at a time is sent and
 * re-sent until the framework acknowledges it.
 */
final class SimulatedTask {
    final TaskInfo info;
    final ExecutorInfo executor;
    final SimulatedAgent agent;
    final String frameworkId;
    final Path sandbox;
    /** Executor and task resources: held on the agent while the task lives. */
    final List<Resource> resources;
    TaskState state = TaskState.TASK_STAGING;
    Process process;
    boolean killRequested;
    final Deque<TaskStatus> unacknowledged = new ArrayDeque<>();
    long lastSentMs;

    SimulatedTask(TaskInfo info, ExecutorInfo executor, SimulatedAgent agent, String frameworkId) {
        this.info = info;
        this.executor = executor;
        this.agent = agent;
        this.frameworkId = frameworkId;
        this.sandbox = agent.sandbox(frameworkId, info.getTaskId().getValue());
        List<Resource> all = new ArrayList<>(info.getResourcesList());
        this.resources = all;
    }

    String id() {
        return info.getTaskId().getValue();
    }

    boolean terminal() {
        return switch (state) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    /** Creates the sandbox, links the volumes and starts the command. */
    Process start(String role) throws IOException {
        Files.createDirectories(sandbox);
        List<Resource> withVolumes = new ArrayList<>(info.getResourcesList());
        withVolumes.addAll(executor.getResourcesList());
        for (Resource r : withVolumes) {
            if (Resources.isPersistentVolume(r)) {
                Path volume = agent.volumeDir(role, r.getDisk().getPersistence().getId());
                Files.createDirectories(volume);
                Path link = sandbox.resolve(r.getDisk().getVolume().getContainerPath());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, volume);
            }
        }
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", info.getCommand().getValue())
                .directory(sandbox.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stdout").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stderr").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("MESOS_TASK_ID", id());
        env.put("MESOS_FRAMEWORK_ID", frameworkId);
        env.put("MESOS_AGENT_ENDPOINT", agent.hostname + ":5051");
        env.put("LIBPROCESS_IP", agent.hostname);
        env.put("MESOS_CONTAINER_IP", agent.hostname);
        env.put("HOST", agent.hostname);
        info.getCommand().getEnvironment().getVariablesList().forEach(v -> env.put(v.getName(), v.getValue()));
        process = builder.start();
        return process;
    }

    /** SIGTERM to the task and everything it started, SIGKILL after the grace period. */
    void terminate(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        long deadline = System.currentTimeMillis() + grace.toMillis();
        for (ProcessHandle child : tree) {
            while (child.isAlive() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            child.destroyForcibly();
        }
    }

    /** The host dies: everything of the task is gone at once. */
    void killHard() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
