package io.hivemqsuite.scheduler.api.pods;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.scheduler.pod.Pods;
import io.hivemqsuite.scheduler.state.PodRecord;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The pods API in the dcos-commons shape. A task status is named as Mesos names task states (without
 * {@code TASK_}): RUNNING when the agent lives and answers, STARTING while it does not answer yet, FAILED when it
 * died, KILLED when the scheduler stopped it, PENDING before its first launch.
 */
@Path("/v1/pod")
@Produces(MediaType.APPLICATION_JSON)
public class PodsResource {

    @Inject
    SchedulerRuntime runtime;

    /** @param brokerVersion the Community Edition release the node's broker runs, as its agent reports it */
    public record TaskStatus(String name, String id, String status, String health, String message,
                             String brokerVersion) {
    }

    public record PodStatus(String name, List<TaskStatus> tasks) {
    }

    public record PodTypeStatus(String name, List<PodStatus> instances) {
    }

    public record ServicePodStatus(String service, List<PodTypeStatus> pods) {
    }

    public record PodAction(String pod, List<String> tasks) {
    }

    @GET
    public Response list() {
        if (!runtime.ready()) {
            return notReady();
        }
        return Response.ok(IntStream.range(0, runtime.pods().count()).mapToObj(PodNames::pod).toList()).build();
    }

    @GET
    @Path("/status")
    public Response statusAll() {
        if (!runtime.ready()) {
            return notReady();
        }
        List<PodStatus> instances = IntStream.range(0, runtime.pods().count()).mapToObj(this::status).toList();
        return Response.ok(new ServicePodStatus(runtime.spec().service().name(),
                List.of(new PodTypeStatus(PodNames.POD_TYPE, instances)))).build();
    }

    @GET
    @Path("/{name}/status")
    public Response status(@PathParam("name") String name) {
        int index = index(name);
        return index < 0 ? unknown(name) : Response.ok(status(index)).build();
    }

    @GET
    @Path("/{name}/info")
    public Response info(@PathParam("name") String name) {
        int index = index(name);
        if (index < 0) {
            return unknown(name);
        }
        Pods pods = runtime.pods();
        PodRecord record = pods.record(index);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", PodNames.task(index));
        info.put("taskId", record.taskId());
        info.put("pod", record.name());
        info.put("backend", pods.backend().name());
        info.put("address", record.address());
        info.put("agentUrl", pods.backend().agentUrl(index));
        info.put("agentPid", record.agentPid());
        info.put("launchCount", record.launchCount());
        info.put("state", record.state());
        info.put("log", pods.backend().logLocation(index));
        Map<String, Integer> ports = new LinkedHashMap<>();
        runtime.spec().enabledListeners().forEach(l -> ports.put(l.listener().endpointName(), l.port()));
        info.put("ports", ports);
        info.put("heapMb", runtime.spec().node().heap());
        // the target's release next to the running one (status.brokerVersion): they differ while an update rolls
        info.put("hivemqVersion", runtime.spec().hivemq().version());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("info", info);
        entry.put("status", pods.health().status(index).orElse(null));
        return Response.ok(List.of(entry)).build();
    }

    @POST
    @Path("/{name}/restart")
    public Response restart(@PathParam("name") String name) {
        return relaunch(name, false);
    }

    @POST
    @Path("/{name}/replace")
    public Response replace(@PathParam("name") String name) {
        return relaunch(name, true);
    }

    private Response relaunch(String name, boolean wipe) {
        int index = index(name);
        if (index < 0) {
            return unknown(name);
        }
        runtime.relaunch(index, wipe);
        return Response.ok(new PodAction(PodNames.pod(index), List.of(PodNames.task(index)))).build();
    }

    private PodStatus status(int index) {
        Pods pods = runtime.pods();
        PodRecord record = pods.record(index);
        boolean running = pods.isRunning(index);
        NodeStatus node = pods.health().status(index).orElse(null);
        String status;
        if (running) {
            status = node != null ? "RUNNING" : "STARTING";
        } else {
            status = switch (record.state()) {
                case PENDING -> "PENDING";
                case LAUNCHING -> "STAGING";
                case KILLED -> "KILLED";
                default -> "FAILED";
            };
        }
        String health = running && node != null ? node.state().name() : null;
        String message = running && node != null ? node.message() : null;
        List<TaskStatus> tasks = new ArrayList<>();
        String version = running && node != null ? node.brokerVersion() : null;
        tasks.add(new TaskStatus(PodNames.task(index), record.taskId(), status, health, message, version));
        return new PodStatus(PodNames.pod(index), tasks);
    }

    private int index(String name) {
        if (!runtime.ready()) {
            return -1;
        }
        int index = PodNames.indexOf(name);
        return index >= 0 && index < runtime.pods().count() ? index : -1;
    }

    private Response unknown(String name) {
        if (!runtime.ready()) {
            return notReady();
        }
        return ApiError.notFound("pod '" + name + "' does not exist; pods: hivemq-0 .. hivemq-"
                + (runtime.pods().count() - 1));
    }

    private static Response notReady() {
        return ApiError.response(503, "the scheduler is starting or uninstalling", null);
    }
}
