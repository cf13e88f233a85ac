package io.hivemqsuite.agent.handover;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.agent.routing.PeersResource;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Map;

/**
 * {@code POST /v1/node/handover} {@code {"nodes": {"0": "127.0.1.1:1883", ...}}} (the nodes that remain; bearer =
 * internal credential): the decommission step's session handover ({@link SessionHandover}). 200 with
 * {@code sessions}, {@code subscriptions} and {@code failed}; 400 naming {@code nodes}; 503 when the broker did not
 * export its sessions. {@code POST /v1/node/handover/move}: the restart step's move of the connected clients
 * ({@link SessionHandover#moveClients}), 200 with {@code moved} and {@code stillHere}.
 */
@Path("/v1/node/handover")
@Produces(MediaType.APPLICATION_JSON)
public class HandoverResource {

    @Inject
    SessionHandover handover;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hand this node's persistent sessions over to their next homes among the remaining nodes")
    public Response handOver(JsonNode body) {
        try {
            SessionHandover.Result result = handover.handOver(PeersResource.nodes(body));
            return Response.ok(Map.of("sessions", result.sessions(), "subscriptions", result.subscriptions(),
                    "failed", result.failed())).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("message", e.getMessage(), "field", "nodes")).build();
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            return Response.status(503).entity(Map.of("message", e.getMessage())).build();
        }
    }

    @POST
    @Path("move")
    @Operation(summary = "Move this node's connected clients to other nodes before its broker restarts")
    public Response move() {
        try {
            SessionHandover.Move move = handover.moveClients();
            return Response.ok(Map.of("moved", move.moved(), "stillHere", move.stillHere())).build();
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            return Response.status(503).entity(Map.of("message", e.getMessage())).build();
        }
    }
}
