package io.hivemqsuite.agent.api;

import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.message.NodeStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1/node")
@Produces(MediaType.APPLICATION_JSON)
public class NodeStatusResource {

    @Inject
    NodeStatusBoard board;

    /** The node's status: state, broker process, listeners. */
    @GET
    @Path("/status")
    public NodeStatus status() {
        return board.current();
    }
}
