package io.hivemqsuite.sidecar.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the state store and the cluster's spec were read and the plans run; until then says why not. */
@Readiness
@ApplicationScoped
public class SidecarReadiness implements HealthCheck {
    @Inject
    SidecarService service;

    @Override
    public HealthCheckResponse call() {
        String problem = service.problem();
        return HealthCheckResponse.named("sidecar-plans").status(problem == null)
                .withData("problem", problem == null ? "none" : problem).build();
    }
}
