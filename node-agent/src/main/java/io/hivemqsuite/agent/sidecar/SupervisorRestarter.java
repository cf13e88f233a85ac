package io.hivemqsuite.agent.sidecar;

import io.hivemqsuite.agent.broker.BrokerSupervisor;
import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;

import java.time.Duration;
import java.util.function.Supplier;

/** Restarts through the supervisor and waits for the node status to say HEALTHY with a new broker start. */
public final class SupervisorRestarter implements BrokerRestarter {
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);
    private final Supplier<BrokerSupervisor> supervisor;
    private final NodeStatusBoard board;

    public SupervisorRestarter(Supplier<BrokerSupervisor> supervisor, NodeStatusBoard board) {
        this.supervisor = supervisor;
        this.board = board;
    }

    @Override
    public String restartAndAwaitHealthy(String why) {
        BrokerSupervisor s = supervisor.get();
        if (s == null) {
            return null; // not started yet: the coming first start loads the change
        }
        int startsBefore = board.current().brokerStarts();
        s.restart(why);
        long deadline = System.currentTimeMillis() + HEALTHY_WITHIN.toMillis();
        NodeStatus status = board.current();
        while (System.currentTimeMillis() < deadline) {
            status = board.current();
            if (status.brokerStarts() > startsBefore && status.state() == NodeState.HEALTHY) {
                return null;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "restart interrupted";
            }
        }
        return "did not come back healthy within " + HEALTHY_WITHIN.toSeconds() + " s (" + status.state() + ": "
                + status.message() + ")";
    }
}
