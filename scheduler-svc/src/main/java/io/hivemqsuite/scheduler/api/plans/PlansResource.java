package io.hivemqsuite.scheduler.api.plans;

import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanHttp;
import io.hivemqsuite.protocol.plan.PlanView;
import io.hivemqsuite.scheduler.api.errors.ApiError;
import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
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

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The plans API in the dcos-commons shape. {@code GET /v1/plans/{plan}} answers 200 when the plan is COMPLETE,
 * 202 while it is in progress (or pending) and 417 when it is in ERROR or WAITING, so scripts can poll on the
 * code alone. Verbs answer 200 with {@code {"message": "Received cmd: <verb>"}}; repeating one does not fail.
 */
@Path("/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlansResource {

    @Inject
    SchedulerRuntime runtime;

    @GET
    public Response list() {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        return Response.ok(runtime.plans().names()).build();
    }

    @GET
    @Path("/{plan}")
    public Response get(@PathParam("plan") String name) {
        Optional<Plan> plan = find(name);
        if (plan.isEmpty()) {
            return unknown(name);
        }
        PlanView view = plan.get().view();
        return Response.status(PlanHttp.httpStatus(view.status())).entity(view).build();
    }


    @POST
    @Path("/{plan}/start")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response start(@PathParam("plan") String name, String body) {
        Map<String, String> parameters = PlanHttp.parameters(body);
        return verb(name, "start", plan -> plan.start(parameters));
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
        return verb(name, "restart", plan -> plan.restart(phase, step));
    }

    private Response verb(String name, String verb, Consumer<Plan> action) {
        Optional<Plan> plan = find(name);
        if (plan.isEmpty()) {
            return unknown(name);
        }
        action.accept(plan.get());
        return Response.ok(PlanHttp.received(verb)).build();
    }

    private Optional<Plan> find(String name) {
        return runtime.ready() ? runtime.plans().plan(name) : Optional.empty();
    }

    private Response unknown(String name) {
        List<String> known = runtime.ready() ? runtime.plans().names() : List.of();
        return ApiError.notFound("plan '" + name + "' does not exist; plans: " + known);
    }


}
