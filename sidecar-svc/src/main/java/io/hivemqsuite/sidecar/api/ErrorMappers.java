package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.servicekit.api.ApiError;
import io.hivemqsuite.sidecar.cluster.ClusterView;
import io.hivemqsuite.sidecar.plan.SidecarRuntime;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refused input: 400 naming the field; busy: 409; a node or the scheduler unreachable: 503. The framework's refusals:
 * service-kit's RequestErrors.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response planRequest(PlanRequestException e) {
        return ApiError.response(400, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response busy(SidecarRuntime.PlanBusyException e) {
        return ApiError.response(409, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response node(SidecarRuntime.NodeUnavailableException e) {
        return ApiError.response(503, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response cluster(ClusterView.ClusterUnavailable e) {
        return ApiError.response(503, e.getMessage(), null);
    }
}
