package io.hivemqsuite.scheduler.api.endpoints;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.api.errors.ApiError;
import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints of the enabled listeners, as dcos-commons answers them: per-node addresses, per-node autoip DNS
 * names, and the VIP name with its port.
 */
@Path("/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class EndpointsResource {

    @Inject
    SchedulerRuntime runtime;

    public record Endpoint(List<String> address, List<String> dns, String vip) {
    }

    @GET
    public Response list() {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        return Response.ok(runtime.spec().enabledListeners().stream().map(l -> l.listener().endpointName()).toList())
                .build();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        if (!runtime.ready()) {
            return ApiError.response(503, "the scheduler is starting or uninstalling", null);
        }
        ServiceOptions spec = runtime.spec();
        Optional<ServiceOptions.ListenerEndpoint> endpoint = spec.enabledListeners().stream()
                .filter(l -> l.listener().endpointName().equals(name)).findFirst();
        if (endpoint.isEmpty()) {
            return ApiError.notFound("endpoint '" + name + "' does not exist or its listener is disabled; endpoints: "
                    + spec.enabledListeners().stream().map(l -> l.listener().endpointName()).toList());
        }
        String dnsName = spec.service().dnsName();
        List<String> addresses = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < spec.node().count(); i++) {
            addresses.add(runtime.pods().backend().nodeAddress(i) + ":" + endpoint.get().port());
            dns.add(PodNames.autoipName(dnsName, i) + ":" + endpoint.get().port());
        }
        String vip = name + "." + dnsName + ".l4lb.thisdcos.directory:" + endpoint.get().vipPort();
        return Response.ok(new Endpoint(addresses, dns, vip)).build();
    }
}
