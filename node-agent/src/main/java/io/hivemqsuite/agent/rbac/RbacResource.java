package io.hivemqsuite.agent.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.agent.config.AgentSettings;
import io.hivemqsuite.agent.home.BrokerHome;
import io.hivemqsuite.agent.home.ExtensionInstaller;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.rbac.RbacFiles;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Map;

/**
 * {@code PUT /v1/node/rbac} {@code {"rbac_config": base64, "rbac_extension_config": base64}} (bearer = internal
 * credential): new users and roles for the running broker, without a restart. Checked first (400 naming the
 * option, nothing written); 409 when this node runs without users and roles.
 */
@Path("/v1/node/rbac")
@Produces(MediaType.APPLICATION_JSON)
public class RbacResource {

    @Inject
    AgentSettings settings;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the users and roles of the running broker (no restart)")
    public Response replace(JsonNode body) {
        RbacFiles files;
        try {
            files = RbacSpec.files(text(body, "rbac_config"), text(body, "rbac_extension_config"));
        } catch (OptionsException e) {
            return Response.status(400).entity(Map.of("message", e.getMessage(), "field", e.field())).build();
        }
        try {
            ExtensionInstaller.updateUsers(new BrokerHome(settings.brokerHome()).extensions(), files);
        } catch (IllegalStateException e) {
            return Response.status(409).entity(Map.of("message", e.getMessage(), "field", RbacSpec.ENABLE_OPTION)).build();
        }
        return Response.ok(Map.of("message", "users and roles written; the broker applies them to the next CONNECT")).build();
    }

    private static String text(JsonNode body, String name) {
        return body == null || !body.hasNonNull(name) ? null : body.get(name).asText();
    }
}
