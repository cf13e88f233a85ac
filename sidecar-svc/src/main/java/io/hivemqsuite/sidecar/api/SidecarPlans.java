package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.servicekit.plans.PlanCatalog;
import io.hivemqsuite.sidecar.lifecycle.SidecarService;
import io.hivemqsuite.sidecar.plan.SidecarRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sidecar plans, served once the service knows its cluster. Start and restart go through the runtime: a start
 * checks its parameters against every node before anything runs, a restart re-arms the node steps.
 */
@ApplicationScoped
public class SidecarPlans implements PlanCatalog {

    @Inject
    SidecarService service;

    @Override
    public Optional<String> unavailable() {
        return service.runtime().isPresent() ? Optional.empty()
                : Optional.of("sidecar-svc is not ready: " + service.problem());
    }

    @Override
    public List<String> names() {
        return service.runtime().map(SidecarRuntime::names).orElse(List.of());
    }

    @Override
    public Optional<Plan> plan(String name) {
        return service.runtime().flatMap(runtime -> runtime.plan(name));
    }

    @Override
    public void start(Plan plan, Map<String, String> parameters) {
        service.runtime().orElseThrow().start(plan.name(), parameters, service.nodeCount());
    }

    @Override
    public void restart(Plan plan, String phase, String step) {
        service.runtime().orElseThrow().restart(plan.name(), phase, step);
    }
}
