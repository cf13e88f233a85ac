package io.hivemqsuite.endpoint.api;

import io.hivemqsuite.endpoint.topology.Topology;
import io.hivemqsuite.endpoint.topology.TopologyPoller;
import io.hivemqsuite.protocol.endpoint.EndpointView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class EndpointsResource {
    @Inject
    TopologyPoller poller;

    @GET
    @Operation(summary = "The endpoint names of the enabled listeners")
    public Response names() {
        Topology topology = poller.current();
        if (!topology.known()) {
            return notYet();
        }
        List<String> names = topology.endpoints().names();
        return Response.ok(names).build();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One endpoint: node addresses, their DNS names and the VIP")
    public Response endpoint(@PathParam("name") String name) {
        Topology topology = poller.current();
        if (!topology.known()) {
            return notYet();
        }
        return topology.endpoints().view(name)
                .map(view -> Response.ok((EndpointView) view).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(new ErrorMessage("endpoint '" + name + "' does not exist; enabled endpoints: "
                                + String.join(", ", topology.endpoints().names())))
                        .build());
    }

    static Response notYet() {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .entity(new ErrorMessage("the scheduler has not answered yet: the service's spec is not known"))
                .build();
    }
}
