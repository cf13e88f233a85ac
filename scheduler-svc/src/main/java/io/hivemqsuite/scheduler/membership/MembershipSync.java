package io.hivemqsuite.scheduler.membership;

import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.scheduler.pod.Pods;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every node's peer table equal to the {@link Membership}: each reconcile round, a node whose agent reports a
 * different table gets the target one ({@code PUT <agent>/v1/node/peers}, bearer = internal credential). Level, not
 * edge: a restarted agent, a replaced node, a restarted scheduler or a lost request are all repaired by the next
 * round that sees the difference. At most one request per node is in flight.
 */
public final class MembershipSync {
    private static final Logger LOG = Logger.getLogger(MembershipSync.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Pods pods;
    private final Membership membership;
    private final String credential;
    private final InternalHttp http = new InternalHttp(TIMEOUT);
    private final Map<Integer, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<Integer, String> lastProblem = new ConcurrentHashMap<>();

    public MembershipSync(Pods pods, Membership membership, String credential) {
        this.pods = pods;
        this.membership = membership;
        this.credential = credential;
    }

    /** One round: compares what each member reports with the target and sends the target where they differ. */
    public void round() {
        PeerTable target = membership.target();
        Map<String, String> wanted = target.byKey();
        for (int index : target.nodes().keySet()) {
            Optional<NodeStatus> status = pods.health().status(index);
            // no fresh status: nothing to compare; peers null: this node does not route
            if (status.isEmpty() || status.get().peers() == null || wanted.equals(status.get().peers())) {
                continue;
            }
            if (inFlight.putIfAbsent(index, Boolean.TRUE) == null) {
                push(index, status.get().peers(), target);
            }
        }
    }

    private void push(int index, Map<String, String> had, PeerTable target) {
        String body = ControlJson.mapper().createObjectNode().set("nodes",
                ControlJson.mapper().valueToTree(target.byKey())).toString();
        http.sendAsync("PUT", pods.backend().agentUrl(index) + "/v1/node/peers",
                Map.of("Authorization", "Bearer " + credential, "Content-Type", "application/json"), body, TIMEOUT)
                .whenComplete((response, error) -> {
                    inFlight.remove(index);
                    String problem = error != null ? "agent not reachable: " + error.getMessage()
                            : response.statusCode() == 200 ? null : "agent answered " + response.statusCode() + ": "
                            + response.body();
                    if (problem == null) {
                        lastProblem.remove(index);
                        LOG.infof("hivemq-%d routes to %s (had %s)", index, target.byKey(), had);
                    } else if (!problem.equals(lastProblem.put(index, problem))) {
                        LOG.warnf("peer table of hivemq-%d not replaced, retrying: %s", index, problem);
                    }
                });
    }
}
