package io.hivemqsuite.agent.api;

import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.message.NodeStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/node")
@Produces(MediaType.APPLICATION_JSON)
public class NodeStatusResource {

    @Inject
    NodeStatusBoard board;

    @GET
    @Path("/status")
    @Operation(summary = "The node's status: state, broker process, listeners")
    public NodeStatus status() {
        return board.current();
    }
}
