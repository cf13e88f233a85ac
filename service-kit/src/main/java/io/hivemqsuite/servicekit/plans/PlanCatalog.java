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

    /**
     * Why one plan ({@code /v1/plans/{plan}} and its verbs) cannot be served right now; by default the reason of
     * {@link #unavailable()} (503). A catalog that answers empty here while unavailable makes those calls answer 404
     * from its (then empty) {@link #plan} and {@link #names}: the scheduler's API always did, and keeps doing so.
     */
    default Optional<String> planUnavailable() {
        return unavailable();
    }

    /**
     * Whether a start reads its body before looking its plan up, so that a bad body is refused (400) before an
     * unknown plan (404). The scheduler's API always did; the sidecar's looks the plan up first (the default).
     */
    default boolean startReadsBodyFirst() {
        return false;
    }

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
