package io.hivemqsuite.metrics.lifecycle;

import io.hivemqsuite.metrics.node.ClusterWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the cluster's target configuration was read and the node feeds follow it; until then says why not.
 * A node that is down does not make the service unready: that is what {@code hivemq_suite_metrics_up} reports.
 */
@Readiness
@ApplicationScoped
public class MetricsReadiness implements HealthCheck {
    @Inject
    ClusterWatch cluster;

    @Override
    public HealthCheckResponse call() {
        String problem = cluster.problem();
        long reporting = cluster.nodes().stream().filter(n -> n.reporting()).count();
        return HealthCheckResponse.named("cluster-metrics").status(problem == null)
                .withData("problem", problem == null ? "none" : problem)
                .withData("nodesReporting", reporting).build();
    }
}
