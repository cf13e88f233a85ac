package io.hivemqsuite.servicekit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error body of the API: {@code {"message": "...", "field": "..."}} (field only when one is at fault). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String message, String field) {

    public static Response response(int status, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message, field)).build();
    }

    public static Response notFound(String message) {
        return response(404, message, null);
    }

    public static Response badRequest(String message, String field) {
        return response(400, message, field);
    }
}
