package io.hivemqsuite.scheduler.api.plans;

import io.hivemqsuite.servicekit.plans.PlansResource;
import jakarta.ws.rs.Path;

/** The suite's plans API ({@link PlansResource}) on the scheduler's plans ({@link SchedulerPlans}). */
@Path("/v1/plans")
public class SchedulerPlansResource extends PlansResource {
}
