package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.protocol.sidecar.SidecarChange;
import io.hivemqsuite.servicekit.api.ApiError;
import io.hivemqsuite.sidecar.lifecycle.SidecarService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v1/changes}: every completed sidecar change in order, as a JSON list of SidecarChange
 * ({@code seq, plan, parameters, completedAt, extension}), leaving out the changes of an extension deleted later
 * (seq keeps the gaps). Node agents replay it on a new node before its first broker start.
 */
@Path("/v1/changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangesResource {

    @Inject
    SidecarService service;

    @GET
    public Response list() {
        return service.state().map(s -> Response.ok(SidecarChange.replayable(s.changes())).build())
                .orElseGet(() -> ApiError.response(503, "sidecar-svc is not ready: " + service.problem(), null));
    }
}
