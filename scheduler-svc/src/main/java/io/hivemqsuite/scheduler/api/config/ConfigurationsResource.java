package io.hivemqsuite.scheduler.api.config;

import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The target configuration: the completed options the service runs with, in the user's field names. */
@Path("/v1/configurations")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigurationsResource {

    @Inject
    SchedulerRuntime runtime;

    @GET
    @Path("/target")
    public Response target() {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        return Response.ok(runtime.specJson(), MediaType.APPLICATION_JSON).build();
    }
}
