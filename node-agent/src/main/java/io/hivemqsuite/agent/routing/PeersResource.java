package io.hivemqsuite.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.routing.PeerTable;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code PUT /v1/node/peers} {@code {"nodes": {"0": "127.0.1.1:1883", ...}}} (bearer = internal credential): the
 * scheduler's membership for this node's router, applied without a broker restart. 400 naming {@code nodes} for a
 * malformed table or one without this node; 409 when this node does not route.
 */
@Path("/v1/node/peers")
@Produces(MediaType.APPLICATION_JSON)
public class PeersResource {

    @Inject
    NodePeers peers;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the router's peer table (nodes joining or leaving), no broker restart")
    public Response replace(JsonNode body) {
        try {
            PeerTable table = nodes(body);
            boolean changed = peers.apply(table);
            return Response.ok(Map.of("changed", changed, "nodes", table.byKey())).build();
        } catch (IllegalArgumentException e) {
            return refuse(e.getMessage());
        } catch (IllegalStateException e) {
            return Response.status(409).entity(Map.of("message", e.getMessage())).build();
        }
    }

    /** The {@code nodes} object of a request body as a table; IllegalArgumentException says what is wrong. */
    public static PeerTable nodes(JsonNode body) {
        JsonNode nodes = body == null ? null : body.get("nodes");
        if (nodes == null || !nodes.isObject()) {
            throw new IllegalArgumentException("nodes must be an object of node index to host:port");
        }
        Map<String, String> keyed = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = nodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("nodes." + e.getKey() + " must be a host:port string");
            }
            keyed.put(e.getKey(), e.getValue().asText());
        }
        return PeerTable.fromKeys(keyed);
    }

    private static Response refuse(String message) {
        return Response.status(400).entity(Map.of("message", message, "field", "nodes")).build();
    }
}
