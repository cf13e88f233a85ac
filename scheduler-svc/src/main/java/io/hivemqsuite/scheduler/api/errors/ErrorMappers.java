package io.hivemqsuite.scheduler.api.errors;

import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refused input into 400 answers that name the field (the framework's refusals: service-kit's RequestErrors). */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response planRequest(PlanRequestException e) {
        return ApiError.badRequest(e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response options(OptionsException e) {
        return ApiError.badRequest(e.getMessage(), e.field());
    }
}
