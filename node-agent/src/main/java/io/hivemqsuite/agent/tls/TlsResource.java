package io.hivemqsuite.agent.tls;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.agent.config.AgentSettings;
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
 * {@code POST /v1/node/tls} {@code {"certificate": chain PEM, "privateKey": PKCS#8 PEM, "ca": PEM}} (bearer =
 * internal credential): the scheduler's certificate renewal. The keystore file is replaced in place; HiveMQ
 * notices the change within about 10 s and serves the new certificate without a restart.
 */
@Path("/v1/node/tls")
@Produces(MediaType.APPLICATION_JSON)
public class TlsResource {

    @Inject
    AgentSettings settings;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the node's TLS certificate in place (no broker restart)")
    public Response install(JsonNode body) {
        if (body == null || !body.hasNonNull("certificate") || !body.hasNonNull("privateKey")) {
            return Response.status(400).entity(Map.of("message", "certificate and privateKey (PEM) are required",
                    "field", body == null || !body.hasNonNull("certificate") ? "certificate" : "privateKey")).build();
        }
        NodeKeystore keystore = new NodeKeystore(settings.nodeDir());
        try {
            NodeKeystore.Installed installed = keystore.install(body.get("certificate").asText(),
                    body.get("privateKey").asText());
            if (body.hasNonNull("ca")) {
                java.nio.file.Files.writeString(settings.nodeDir().resolve("tls").resolve("ca.crt"),
                        body.get("ca").asText());
            }
            return Response.ok(Map.of("serial", installed.serialHex(), "notAfter", installed.notAfterMs(),
                    "subject", installed.subject(), "keystore", keystore.keystore().toString())).build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String field = message.startsWith("privateKey") ? "privateKey" : "certificate";
            return Response.status(400).entity(Map.of("message", message, "field", field)).build();
        } catch (java.io.IOException e) {
            return Response.status(500).entity(Map.of("message", "cannot write ca.crt: " + e.getMessage())).build();
        }
    }
}
