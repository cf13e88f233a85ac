package io.hivemqsuite.scheduler.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the state store is connected and the plans are resumed. */
@Readiness
@ApplicationScoped
public class StateReadiness implements HealthCheck {
    @Inject
    SchedulerRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scheduler").status(runtime.ready()).build();
    }
}
