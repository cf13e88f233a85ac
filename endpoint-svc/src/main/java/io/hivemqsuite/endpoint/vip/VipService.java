package io.hivemqsuite.endpoint.vip;

import io.hivemqsuite.endpoint.settings.EndpointSettings;
import io.hivemqsuite.endpoint.topology.Topology;
import io.hivemqsuite.protocol.endpoint.NodeAddress;
import io.hivemqsuite.protocol.endpoint.ServiceEndpoints;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keeps one {@link VipBalancer} per enabled listener in step with the spec (a listener enabled by an update gets
 * its VIP, a disabled one loses it) and feeds them the running nodes; owns the drain state shared by all VIPs.
 */
@ApplicationScoped
public class VipService {
    private static final Logger LOG = Logger.getLogger(VipService.class);

    @Inject
    EndpointSettings settings;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry metrics;
    /** What this instance registered, removed again when it stops. */
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    private final Rotation rotation = new Rotation();
    private final BackendChoice choice = new RendezvousChoice();
    /** Keyed by listener name and VIP port, so a changed VIP port re-opens the VIP. */
    private final Map<String, VipBalancer> balancers = new ConcurrentHashMap<>();
    private volatile Topology topology = Topology.UNKNOWN;

    synchronized void onTopology(@Observes Topology next) {
        topology = next;
        rotation.update(next.statuses());
        if (!settings.vipEnabled() || !next.known()) {
            return;
        }
        ServiceEndpoints endpoints = next.endpoints();
        Map<String, ListenerEndpoint> wanted = new HashMap<>();
        for (ListenerEndpoint listener : endpoints.vipListeners()) {
            wanted.put(key(listener), listener);
        }
        balancers.entrySet().removeIf(entry -> {
            if (!wanted.containsKey(entry.getKey())) {
                LOG.infof("closing VIP %s", entry.getKey());
                entry.getValue().close();
                return true;
            }
            return false;
        });
        for (Map.Entry<String, ListenerEndpoint> entry : wanted.entrySet()) {
            ListenerEndpoint listener = entry.getValue();
            VipBalancer balancer = balancers.get(entry.getKey());
            if (balancer == null) {
                balancer = open(listener);
                if (balancer == null) {
                    continue;
                }
                balancers.put(entry.getKey(), balancer);
            }
            // Every node of the spec, running or not: a client's home is chosen among them all, so a restarting
            // node keeps its clients; the rotation decides whether a node takes a connection now.
            Map<Integer, String> running = new HashMap<>();
            for (NodeAddress node : endpoints.nodes()) {
                running.put(node.index(), node.address());
            }
            List<Backend> backends = new ArrayList<>();
            for (int i = 0; i < next.nodeCount(); i++) {
                backends.add(new Backend(i, running.getOrDefault(i, settings.layout().nodeAddress(i)), listener.port()));
            }
            balancer.backends(backends);
            for (Backend backend : backends) {
                registerConnections(listener.listener().endpointName(), backend.node());
            }
        }
    }

    private VipBalancer open(ListenerEndpoint listener) {
        String name = listener.listener().endpointName();
        // Only plain MQTT shows its CONNECT to a layer-4 proxy; TLS and WebSocket listeners key on the source host.
        VipBalancer.Affinity affinity = listener.listener() == Listener.MQTT
                ? VipBalancer.Affinity.MQTT_CLIENT_ID : VipBalancer.Affinity.SOURCE_HOST;
        VipBalancer balancer = new VipBalancer(vertx, name, settings.vipAddress(), listener.vipPort(), rotation, choice,
                affinity, settings.vipHold());
        try {
            balancer.listen().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Retried with the next topology, about a second later.
            LOG.warnf("VIP %s cannot listen on %s:%d: %s", name, settings.vipAddress(), listener.vipPort(),
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            balancer.close();
            return null;
        }
        meters.add(FunctionCounter.builder("hivemq_suite_vip_connections_accepted", this, vip -> vip.listener(name)
                        .mapToLong(VipBalancer::accepted).sum())
                .tag("listener", name).description("client connections the VIP took in").register(metrics));
        return balancer;
    }

    /** Registered per node of the spec, so a node without clients shows 0; reads whichever balancer is open now. */
    private void registerConnections(String listener, int node) {
        meters.add(Gauge.builder("hivemq_suite_vip_connections", this, vip -> vip.listener(listener)
                        .mapToInt(b -> b.connections(node)).sum())
                .tags("listener", listener, "node", PodNames.pod(node))
                .description("client connections the VIP proxies now, per node")
                .register(metrics));
    }

    private Stream<VipBalancer> listener(String name) {
        return balancers.values().stream().filter(b -> b.name().equals(name));
    }

    void stop(@Observes ShutdownEvent event) {
        // The registry can outlive this bean (Quarkus' global composite, in tests one JVM runs the service several
        // times): a meter left there would keep reading this stopped instance and shadow the next one's.
        meters.forEach(metrics::remove);
        meters.clear();
        synchronized (this) {
            balancers.values().forEach(VipBalancer::close);
            balancers.clear();
        }
    }

    /** The node index of a pod name the service has, or empty for an unknown pod. */
    public Optional<Integer> node(String pod) {
        int index = PodNames.indexOf(pod);
        return index >= 0 && index < topology.nodeCount() ? Optional.of(index) : Optional.empty();
    }

    /** @param moving its clients go to their next node at once instead of being held for it (see {@link Rotation}) */
    public void drain(int node, boolean moving) {
        rotation.drain(node, moving);
        LOG.infof("%s drained: no new VIP connections%s", PodNames.pod(node),
                moving ? "; its clients move to their next node" : "");
    }

    public void undrain(int node) {
        rotation.undrain(node);
        LOG.infof("%s back in VIP rotation", PodNames.pod(node));
    }

    public synchronized VipView view() {
        Topology current = topology;
        List<VipView.ListenerVip> listeners = new ArrayList<>();
        if (current.known()) {
            ServiceEndpoints endpoints = current.endpoints();
            for (ListenerEndpoint listener : endpoints.vipListeners()) {
                VipBalancer balancer = balancers.get(key(listener));
                List<VipView.NodeVip> nodes = new ArrayList<>();
                for (int i = 0; i < current.nodeCount(); i++) {
                    NodeState state = rotation.state(i);
                    var status = current.statuses().get(i);
                    String host = status != null ? status.address() : settings.layout().nodeAddress(i);
                    nodes.add(new VipView.NodeVip(PodNames.pod(i), host + ":" + listener.port(),
                            state == null ? "ABSENT" : state.name(), rotation.drained(i), rotation.inRotation(i),
                            balancer == null ? 0 : balancer.connections(i)));
                }
                listeners.add(new VipView.ListenerVip(listener.listener().endpointName(),
                        endpoints.vipName(listener.listener()) + ":" + listener.vipPort(),
                        settings.vipAddress() + ":" + listener.vipPort(), balancer != null,
                        balancer == null ? 0 : balancer.totalConnections(), nodes));
            }
        }
        return new VipView(listeners);
    }

    public Rotation rotation() {
        return rotation;
    }

    private static String key(ListenerEndpoint listener) {
        return listener.listener().endpointName() + ":" + listener.vipPort();
    }
}
