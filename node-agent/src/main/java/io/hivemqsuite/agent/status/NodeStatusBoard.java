package io.hivemqsuite.agent.status;

import io.hivemqsuite.agent.config.AgentSettings;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.message.NodeStatus.ListenerStatus;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one place that decides the node's state: the supervisor reports the broker, the probe its listeners,
 * the control client its connection. Whoever cares (MQTT status publisher) hears of every change.
 */
@Singleton
public class NodeStatusBoard {
    private static final Logger LOG = Logger.getLogger(NodeStatusBoard.class);
    /** How long a fresh broker may run without the control client before that counts as unhealthy. */
    private static final long CONTROL_GRACE_MILLIS = 20_000;

    private final List<Consumer<NodeStatus>> watchers = new CopyOnWriteArrayList<>();
    private final int node;
    private final String address;

    private BrokerPhase phase = BrokerPhase.NOT_STARTED;
    private long phaseSince = System.currentTimeMillis();
    private String brokerMessage = "laying out the HiveMQ home";
    private long brokerPid;
    private int brokerStarts;
    private final Map<String, ListenerStatus> listeners = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private boolean controlConnected;
    private RoutingCounters routing;
    private PeerTable peers;
    private String brokerVersion;
    private NodeStatus last;

    @Inject
    public NodeStatusBoard(AgentSettings settings) {
        this(settings.nodeIndex(), settings.address());
    }

    public NodeStatusBoard(int node, String address) {
        this.node = node;
        this.address = address;
    }

    public void watch(Consumer<NodeStatus> watcher) {
        watchers.add(watcher);
    }

    /** Composed now, so the routing counters are fresh (they change without changing the node's state). */
    public synchronized NodeStatus current() {
        return compose(System.currentTimeMillis());
    }

    /**
     * The router's latest counters. A change republishes the status only when the sentence changes (an overflow
     * starts, grows or ends), not on every counter tick.
     */
    public void routing(RoutingCounters counters) {
        synchronized (this) {
            routing = counters;
        }
        publish();
    }

    /** The peer table the broker's router was given (membership changes are published at once). */
    public void peers(PeerTable table) {
        synchronized (this) {
            peers = table;
        }
        publish();
    }

    /** The Community Edition release the broker runs, from the classpath the agent launches it with. */
    public synchronized void brokerVersion(String version) {
        brokerVersion = version;
    }

    public void configure(List<ListenerEndpoint> probed, List<String> notes) {
        synchronized (this) {
            listeners.clear();
            probed.forEach(l -> listeners.put(l.listener().endpointName(), new ListenerStatus(l.port(), false)));
            this.notes.clear();
            this.notes.addAll(notes);
        }
        publish();
    }

    public void broker(BrokerPhase phase, long pid, int starts, String message) {
        synchronized (this) {
            if (this.phase != phase) {
                phaseSince = System.currentTimeMillis();
            }
            this.phase = phase;
            this.brokerPid = pid;
            this.brokerStarts = starts;
            this.brokerMessage = message;
            // the supervisor reports RUNNING only after every listener accepted; anything else means none serves
            boolean accepting = phase == BrokerPhase.RUNNING;
            listeners.replaceAll((name, l) -> new ListenerStatus(l.port(), accepting));
        }
        publish();
    }

    public void listener(String endpointName, boolean accepting) {
        synchronized (this) {
            ListenerStatus old = listeners.get(endpointName);
            if (old == null || old.accepting() == accepting) {
                return;
            }
            listeners.put(endpointName, new ListenerStatus(old.port(), accepting));
        }
        publish();
    }

    public void controlConnected(boolean connected) {
        synchronized (this) {
            if (controlConnected == connected) {
                return;
            }
            controlConnected = connected;
        }
        publish();
    }

    public synchronized BrokerPhase phase() {
        return phase;
    }

    /** Re-evaluates time-dependent rules (the control client's grace period). */
    public void tick() {
        publish();
    }

    private void publish() {
        NodeStatus status;
        synchronized (this) {
            status = compose(System.currentTimeMillis());
            if (last != null && sameExceptTime(last, status)) {
                return;
            }
            last = status;
        }
        LOG.infof("node %d %s: %s", node, status.state(), status.message());
        for (Consumer<NodeStatus> watcher : watchers) {
            try {
                watcher.accept(status);
            } catch (RuntimeException e) {
                LOG.warn("status watcher failed", e);
            }
        }
    }

    private NodeStatus compose(long now) {
        NodeState state;
        String message;
        switch (phase) {
            case NOT_STARTED, STARTING -> {
                state = NodeState.STARTING;
                message = brokerMessage;
            }
            case RESTARTING, FAILED -> {
                state = NodeState.UNHEALTHY;
                message = brokerMessage;
            }
            case STOPPED -> {
                state = NodeState.STOPPED;
                message = brokerMessage;
            }
            default -> {
                List<String> silent = listeners.entrySet().stream().filter(e -> !e.getValue().accepting())
                        .map(e -> e.getKey() + " (port " + e.getValue().port() + ")").toList();
                if (!silent.isEmpty()) {
                    state = NodeState.UNHEALTHY;
                    message = "broker runs but listener " + String.join(", ", silent) + " does not accept connections";
                } else if (!controlConnected) {
                    boolean grace = now - phaseSince < CONTROL_GRACE_MILLIS;
                    state = grace ? NodeState.STARTING : NodeState.UNHEALTHY;
                    message = grace ? "broker started; connecting the control client"
                            : "broker runs but the control client cannot connect to it";
                } else {
                    state = NodeState.HEALTHY;
                    message = "broker runs and every listener accepts connections";
                }
            }
        }
        if (!notes.isEmpty()) {
            message = message + "; " + String.join("; ", notes);
        }
        String overflow = overflow(routing);
        if (overflow != null) {
            message = message + "; " + overflow;
        }
        return new NodeStatus(node, PodNames.pod(node), address, state, brokerPid, brokerStarts,
                new LinkedHashMap<>(listeners), message, now, routing, peers == null ? null : peers.byKey(),
                brokerVersion);
    }

    /** A peer queue that overflowed lost messages: said in the node's sentence, per peer. */
    private static String overflow(RoutingCounters counters) {
        if (counters == null || counters.dropped() == 0) {
            return null;
        }
        List<String> peers = new ArrayList<>();
        counters.peers().forEach((peer, c) -> {
            if (c.dropped() > 0) {
                peers.add(c.dropped() + " for " + RoutingCounters.pod(peer));
            }
        });
        return "routing dropped messages because a peer queue was full: " + String.join(", ", peers);
    }

    private static boolean sameExceptTime(NodeStatus a, NodeStatus b) {
        return a.state() == b.state() && a.brokerPid() == b.brokerPid() && a.brokerStarts() == b.brokerStarts()
                && a.listeners().equals(b.listeners()) && Objects.equals(a.message(), b.message())
                && Objects.equals(a.peers(), b.peers());
    }
}
