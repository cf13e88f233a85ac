package io.hivemqsuite.agent.health;

import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.message.NodeStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready means the node serves: broker up, every listener accepting, control client connected. */
@Readiness
@Singleton
public class NodeReadiness implements HealthCheck {

    @Inject
    NodeStatusBoard board;

    @Override
    public HealthCheckResponse call() {
        NodeStatus s = board.current();
        return HealthCheckResponse.named("node")
                .status(s.healthy())
                .withData("state", s.state().name())
                .withData("brokerPid", s.brokerPid())
                .withData("brokerStarts", s.brokerStarts())
                .withData("message", s.message())
                .build();
    }
}
