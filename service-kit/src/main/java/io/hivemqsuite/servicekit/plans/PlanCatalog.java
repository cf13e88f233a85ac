package io.hivemqsuite.servicekit.plans;

import io.hivemqsuite.protocol.plan.Plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plans a service serves through {@link PlansResource}. A service provides one bean of this type; the two
 * defaults act on the plan itself, a service whose start or restart needs more (the sidecar checks the
 * parameters against every node) overrides them.
 */
public interface PlanCatalog {

    /** Why no plan can be served right now (starting, uninstalling, cut off); empty while plans are served. */
    Optional<String> unavailable();

    /** The plans' names, in the order they are listed. */
    List<String> names();

    Optional<Plan> plan(String name);

    /** @throws io.hivemqsuite.protocol.plan.PlanRequestException naming the parameter that is refused */
    default void start(Plan plan, Map<String, String> parameters) {
        plan.start(parameters);
    }

    /** @throws io.hivemqsuite.protocol.plan.PlanRequestException naming the phase or step that does not exist */
    default void restart(Plan plan, String phase, String step) {
        plan.restart(phase, step);
    }
}
