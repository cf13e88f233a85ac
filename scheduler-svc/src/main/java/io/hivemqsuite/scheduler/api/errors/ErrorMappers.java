package io.hivemqsuite.scheduler.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refused input into 400 answers that name the field, and keeps every error body JSON. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response planRequest(PlanRequestException e) {
        return ApiError.badRequest(e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response options(OptionsException e) {
        return ApiError.badRequest(e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return ApiError.badRequest("the body is not valid JSON: " + e.getOriginalMessage(), "(body)");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity() && original.getEntity() instanceof ApiError) {
            return original;
        }
        String message = e.getCause() instanceof JsonProcessingException j
                ? "the body is not valid JSON: " + j.getOriginalMessage() : e.getMessage();
        String field = original.getStatus() == 400 ? "(body)" : null;
        return ApiError.response(original.getStatus(), message, field);
    }
}
