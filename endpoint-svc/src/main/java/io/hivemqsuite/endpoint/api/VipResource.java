package io.hivemqsuite.endpoint.api;

import io.hivemqsuite.endpoint.topology.TopologyPoller;
import io.hivemqsuite.endpoint.vip.VipService;
import io.hivemqsuite.endpoint.vip.VipView;
import io.hivemqsuite.protocol.node.PodNames;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Map;
import java.util.function.IntConsumer;

@Path("/v1/vip")
@Produces(MediaType.APPLICATION_JSON)
public class VipResource {
    @Inject
    VipService vips;
    @Inject
    TopologyPoller poller;

    @GET
    @Operation(summary = "Per listener its VIP, and per node whether it is in rotation and its connection count")
    public VipView view() {
        return vips.view();
    }

    @POST
    @Path("/drain/{pod}")
    @Operation(summary = "Take a pod out of VIP rotation: no new connections; established ones stay. With "
            + "move=true its clients are not held for it while it restarts: they go to their next node at once")
    public Response drain(@PathParam("pod") String pod, @QueryParam("move") String move) {
        if (move != null && !move.equals("true") && !move.equals("false")) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("message", "move must be true or false, not '" + move + "'", "field", "move"))
                    .build();
        }
        boolean moving = "true".equals(move);
        return change(pod, node -> vips.drain(node, moving));
    }

    @POST
    @Path("/undrain/{pod}")
    @Operation(summary = "Return a drained pod to VIP rotation")
    public Response undrain(@PathParam("pod") String pod) {
        return change(pod, vips::undrain);
    }

    private Response change(String pod, IntConsumer action) {
        if (!poller.current().known()) {
            return EndpointsResource.notYet();
        }
        return vips.node(pod).map(node -> {
            action.accept(node);
            return Response.ok(Map.of("pod", PodNames.pod(node),
                    "drained", vips.rotation().drained(node),
                    "moving", vips.rotation().moving(node),
                    "inRotation", vips.rotation().inRotation(node))).build();
        }).orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                .entity(new ErrorMessage("pod '" + pod + "' does not exist; pods are hivemq-0..hivemq-"
                        + (poller.current().nodeCount() - 1)))
                .build());
    }
}
