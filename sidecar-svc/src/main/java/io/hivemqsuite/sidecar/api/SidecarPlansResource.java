package io.hivemqsuite.sidecar.api;

import io.hivemqsuite.servicekit.plans.PlansResource;
import jakarta.ws.rs.Path;

/**
 * The suite's plans API ({@link PlansResource}) on the sidecar plans ({@link SidecarPlans}). A start with bad
 * parameters answers 400 {@code {"message", "field"}} and changes nothing on any node.
 */
@Path("/v1/plans")
public class SidecarPlansResource extends PlansResource {
}
