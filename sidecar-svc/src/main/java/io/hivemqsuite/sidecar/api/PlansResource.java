package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanHttp;
import io.hivemqsuite.protocol.plan.PlanView;
import io.hivemqsuite.sidecar.lifecycle.SidecarService;
import io.hivemqsuite.sidecar.plan.SidecarRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The sidecar plans in the scheduler's plans API shape: {@code GET /v1/plans/{plan}} answers 200 COMPLETE,
 * 202 in progress or pending, 417 ERROR or WAITING, 404 unknown; verbs answer {@code {"message": "Received cmd: x"}}.
 * A start with bad parameters answers 400 {@code {"message", "field"}} and changes nothing on any node.
 */
@Path("/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlansResource {

    @Inject
    SidecarService service;

    @GET
    public Response list() {
        return runtime().map(r -> Response.ok(r.names()).build()).orElseGet(this::notReady);
    }

    @GET
    @Path("/{plan}")
    public Response get(@PathParam("plan") String name) {
        return withPlan(name, plan -> {
            PlanView view = plan.view();
            return Response.status(PlanHttp.httpStatus(view.status())).entity(view).build();
        });
    }


    @POST
    @Path("/{plan}/start")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response start(@PathParam("plan") String name, String body) {
        return withPlan(name, plan -> {
            Map<String, String> parameters = PlanHttp.parameters(body);
            runtime().orElseThrow().start(name, parameters, service.nodeCount());
            return received("start");
        });
    }

    @POST
    @Path("/{plan}/stop")
    public Response stop(@PathParam("plan") String name) {
        return verb(name, "stop", Plan::stop);
    }

    @POST
    @Path("/{plan}/interrupt")
    public Response interrupt(@PathParam("plan") String name, @QueryParam("phase") String phase) {
        return verb(name, "interrupt", plan -> plan.interrupt(phase));
    }

    @POST
    @Path("/{plan}/continue")
    public Response proceed(@PathParam("plan") String name, @QueryParam("phase") String phase) {
        return verb(name, "continue", plan -> plan.proceed(phase));
    }

    @POST
    @Path("/{plan}/forceComplete")
    public Response forceComplete(@PathParam("plan") String name, @QueryParam("phase") String phase,
                                  @QueryParam("step") String step) {
        return verb(name, "forceComplete", plan -> plan.forceComplete(phase, step));
    }

    @POST
    @Path("/{plan}/restart")
    public Response restart(@PathParam("plan") String name, @QueryParam("phase") String phase,
                            @QueryParam("step") String step) {
        return verb(name, "restart", plan -> runtime().orElseThrow().restart(name, phase, step));
    }

    private Response verb(String name, String verb, Consumer<Plan> action) {
        return withPlan(name, plan -> {
            action.accept(plan);
            return received(verb);
        });
    }

    private Response withPlan(String name, Function<Plan, Response> then) {
        Optional<SidecarRuntime> runtime = runtime();
        if (runtime.isEmpty()) {
            return notReady();
        }
        Optional<Plan> plan = runtime.get().plan(name);
        if (plan.isEmpty()) {
            return ApiError.response(404, "plan '" + name + "' does not exist; plans: " + runtime.get().names(), null);
        }
        return then.apply(plan.get());
    }

    private static Response received(String verb) {
        return Response.ok(PlanHttp.received(verb)).build();
    }

    private Optional<SidecarRuntime> runtime() {
        return service.runtime();
    }

    private Response notReady() {
        return ApiError.response(503, "sidecar-svc is not ready: " + service.problem(), null);
    }
}
