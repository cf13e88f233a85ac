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

    /** While starting or uninstalling, one plan's calls answer 404 (no such plan, plans: []), as they always did. */
    @Override
    public Optional<String> planUnavailable() {
        return Optional.empty();
    }

    @Override
    public boolean startReadsBodyFirst() {
        return true;
    }

    @Override
    public List<String> names() {
        return runtime.ready() ? runtime.plans().names() : List.of();
    }

    @Override
    public Optional<Plan> plan(String name) {
        return runtime.ready() ? runtime.plans().plan(name) : Optional.empty();
    }
}
