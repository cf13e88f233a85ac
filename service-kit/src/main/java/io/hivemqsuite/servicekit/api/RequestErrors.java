package io.hivemqsuite.servicekit.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What the framework refuses before a resource runs (a body that is not JSON, a wrong media type, a path no resource
 * serves) answers every service's one error body, naming the problem, instead of an empty or HTML answer.
 */
public class RequestErrors {

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return ApiError.badRequest(notJson(e), "(body)");
    }

    @ServerExceptionMapper
    public Response unknownPath(NotFoundException e, @Context UriInfo uri) {
        if (e.getResponse().hasEntity()) {
            return e.getResponse();
        }
        return ApiError.notFound("no such path: " + uri.getRequestUri().getRawPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity() && original.getEntity() instanceof ApiError) {
            return original;
        }
        String message = e.getCause() instanceof JsonProcessingException j ? notJson(j) : e.getMessage();
        String field = original.getStatus() == 400 ? "(body)" : null;
        return ApiError.response(original.getStatus(), message, field);
    }

    private static String notJson(JsonProcessingException e) {
        return "the body is not valid JSON: " + e.getOriginalMessage();
    }
}
