package io.hivemqsuite.scheduler.api.update;

import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.scheduler.update.UpdateService;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/update} with the new options JSON (what {@code update start --options} sends): 200 with the
 * changed fields and per node what happens (RESTART, CERTIFICATES, USERS, ADD, DECOMMISSION); 400 {@code {"message","field"}} for
 * invalid options or a change a running service cannot make (nothing is changed then); 409 while another update
 * runs. {@code ?dryRun=true} answers the same and changes nothing.
 */
@Path("/v1/update")
@Produces(MediaType.APPLICATION_JSON)
public class UpdateResource {

    @Inject
    SchedulerRuntime runtime;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Validate, diff and roll out new options with the update plan")
    public Response update(String body, @QueryParam("dryRun") String dryRun) {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        // Not a boolean parameter: JAX-RS reads anything but "true" as false, so "?dryRun=yes" would roll out
        // the update its sender only meant to preview.
        if (dryRun != null && !"true".equals(dryRun) && !"false".equals(dryRun)) {
            return ApiError.badRequest("dryRun must be true or false but is '" + dryRun + "'", "dryRun");
        }
        if (body == null || body.isBlank()) {
            return ApiError.badRequest("the body must be the options JSON of the service", "(body)");
        }
        try {
            return Response.ok(runtime.updates().request(body, "true".equals(dryRun))).build();
        } catch (UpdateService.ConflictException e) {
            return ApiError.response(409, e.getMessage(), null);
        }
    }
}
