package io.hivemqsuite.servicekit.plans;

import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanHttp;
import io.hivemqsuite.protocol.plan.PlanView;
import io.hivemqsuite.servicekit.api.ApiError;
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
 * The plans API in the dcos-commons shape, the same in every service that has plans. {@code GET /v1/plans/{plan}}
 * answers 200 when the plan is COMPLETE, 202 while it is in progress or pending, 417 on ERROR or WAITING (scripts
 * poll on the code alone), 404 for a plan that does not exist; verbs answer 200
 * {@code {"message": "Received cmd: <verb>"}} and repeating one does not fail. While the {@link PlanCatalog} is
 * unavailable the list answers 503 with the reason, and so do the calls on one plan unless the catalog says otherwise
 * ({@link PlanCatalog#planUnavailable()}; also {@link PlanCatalog#startReadsBodyFirst()}).
 *
 * <p>Not a resource by itself, so that a service without plans that uses this module serves no plans API: a
 * service with plans subclasses it with {@code @Path("/v1/plans")} and provides a {@link PlanCatalog} bean.
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class PlansResource {

    @Inject
    PlanCatalog catalog;

    @GET
    public Response list() {
        Optional<String> unavailable = catalog.unavailable();
        return unavailable.isPresent() ? ApiError.response(503, unavailable.get(), null)
                : Response.ok(catalog.names()).build();
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
        if (catalog.startReadsBodyFirst()) {
            Map<String, String> parameters = PlanHttp.parameters(body);
            return verb(name, "start", plan -> catalog.start(plan, parameters));
        }
        return verb(name, "start", plan -> catalog.start(plan, PlanHttp.parameters(body)));
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
        return verb(name, "restart", plan -> catalog.restart(plan, phase, step));
    }

    private Response verb(String name, String verb, Consumer<Plan> action) {
        return withPlan(name, plan -> {
            action.accept(plan);
            return Response.ok(PlanHttp.received(verb)).build();
        });
    }

    private Response withPlan(String name, Function<Plan, Response> then) {
        Optional<String> unavailable = catalog.planUnavailable();
        if (unavailable.isPresent()) {
            return ApiError.response(503, unavailable.get(), null);
        }
        Optional<Plan> plan = catalog.plan(name);
        if (plan.isEmpty()) {
            return ApiError.notFound("plan '" + name + "' does not exist; plans: " + catalog.names());
        }
        return then.apply(plan.get());
    }
}
