package io.hivemqsuite.scheduler.api.endpoints;

import io.hivemqsuite.protocol.endpoint.NodeAddress;
import io.hivemqsuite.protocol.endpoint.ServiceEndpoints;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints of the enabled listeners, as a dcos-commons scheduler answers them: every node the spec has,
 * whether it runs or not (endpoint-svc answers with the nodes that run). Names come from
 * {@link ServiceEndpoints}, so both services always agree.
 */
@Path("/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class EndpointsResource {

    @Inject
    SchedulerRuntime runtime;

    @GET
    public Response list() {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        return Response.ok(endpoints().names()).build();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        ServiceEndpoints endpoints = endpoints();
        return endpoints.view(name)
                .map(view -> Response.ok(view).build())
                .orElseGet(() -> ApiError.notFound("endpoint '" + name
                        + "' does not exist or its listener is disabled; endpoints: " + endpoints.names()));
    }

    private ServiceEndpoints endpoints() {
        ServiceOptions spec = runtime.spec();
        List<NodeAddress> nodes = new ArrayList<>();
        for (int i = 0; i < spec.node().count(); i++) {
            nodes.add(new NodeAddress(i, runtime.pods().backend().nodeAddress(i)));
        }
        return new ServiceEndpoints(spec, nodes);
    }
}
