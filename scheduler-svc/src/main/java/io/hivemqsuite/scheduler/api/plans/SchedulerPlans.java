package io.hivemqsuite.scheduler.api.plans;

import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.servicekit.plans.PlanCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/** The scheduler's plans (deploy, update, ...), served once its state is read and until it uninstalls. */
@ApplicationScoped
public class SchedulerPlans implements PlanCatalog {

    @Inject
    SchedulerRuntime runtime;

    @Override
    public Optional<String> unavailable() {
        return runtime.ready() ? Optional.empty() : Optional.of("the scheduler is starting or uninstalling");
    }

    @Override
    public List<String> names() {
        return runtime.plans().names();
    }

    @Override
    public Optional<Plan> plan(String name) {
        return runtime.plans().plan(name);
    }
}
