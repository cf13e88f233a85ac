package io.hivemqsuite.scheduler.api.certificates;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.servicekit.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CA clients trust to reach the TLS listeners, and renewal of the node certificates on demand. */
@Path("/v1/certificates")
public class CertificatesResource {

    @Inject
    SchedulerRuntime runtime;

    @GET
    @Path("/ca")
    // JSON clients (the CLI sends Accept: application/json) get the PEM text too: there is nothing to wrap.
    @Produces({"application/x-pem-file", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "The PEM certificate of the CA that issues the node certificates")
    public Response ca() {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        return Response.ok(runtime.certificates().ca(runtime.spec()).certificatePem(), "application/x-pem-file")
                .build();
    }

    @POST
    @Path("/renew")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue new node certificates now (one pod or all); brokers reload them without a restart")
    public Response renew(@QueryParam("pod") String pod) {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        if (!runtime.spec().tlsEnabled()) {
            return ApiError.badRequest("no TLS listener is enabled: the nodes have no certificate to renew",
                    "hivemq.listener_configuration.mqtt_tls_enabled");
        }
        int count = runtime.spec().node().count();
        List<Integer> nodes = new ArrayList<>();
        if (pod == null || pod.isBlank()) {
            for (int i = 0; i < count; i++) {
                nodes.add(i);
            }
        } else {
            int index = PodNames.indexOf(pod);
            if (index < 0 || index >= count) {
                return ApiError.badRequest("pod '" + pod + "' does not exist; pods are hivemq-0..hivemq-"
                        + (count - 1), "pod");
            }
            nodes.add(index);
        }
        Map<String, String> result = new LinkedHashMap<>();
        boolean failed = false;
        for (int index : nodes) {
            String problem = runtime.renewCertificate(index);
            failed |= problem != null;
            result.put(PodNames.pod(index), problem == null
                    ? "renewed: serial " + runtime.certificates().currentSerial(index).orElse("?") : problem);
        }
        return Response.status(failed ? 502 : 200).type(MediaType.APPLICATION_JSON).entity(result).build();
    }
}
