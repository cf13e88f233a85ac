package io.hivemqsuite.endpoint.vip;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One VIP: a layer-4 TCP proxy on {@code vipAddress:vipPort} that hands each new connection to an in-rotation
 * backend and then only pipes bytes, on the Vert.x event loop with back pressure (no thread per connection).
 * Rotation is consulted only when a connection arrives, so draining a node never touches its established
 * connections: the broker's own shutdown ends them.
 */
public class VipBalancer {
    private static final Logger LOG = Logger.getLogger(VipBalancer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final Vertx vertx;
    private final String name;
    private final String host;
    private final int port;
    private final Rotation rotation;
    private final BackendChoice choice;
    private final NetClient client;
    private final Map<Integer, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile List<Backend> backends = List.of();
    private NetServer server;

    public VipBalancer(Vertx vertx, String name, String host, int port, Rotation rotation, BackendChoice choice) {
        this.vertx = vertx;
        this.name = name;
        this.host = host;
        this.port = port;
        this.rotation = rotation;
        this.choice = choice;
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setTcpNoDelay(true));
    }

    public Future<VipBalancer> listen() {
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true));
        server.connectHandler(this::accept);
        return server.listen().map(s -> {
            LOG.infof("VIP %s listens on %s:%d", name, host, port);
            return this;
        });
    }

    public Future<Void> close() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(v -> client.close());
    }

    /** Every node's listener, whether or not in rotation; the rotation decides per new connection. */
    public void backends(List<Backend> all) {
        backends = List.copyOf(all);
    }

    public List<Backend> backends() {
        return backends;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int connections(int node) {
        AtomicInteger count = connections.get(node);
        return count == null ? 0 : count.get();
    }

    public int totalConnections() {
        return connections.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void accept(NetSocket downstream) {
        accepted.incrementAndGet();
        downstream.pause();
        AtomicBoolean clientGone = new AtomicBoolean();
        downstream.closeHandler(v -> clientGone.set(true));
        List<Backend> candidates = new ArrayList<>();
        for (Backend backend : backends) {
            if (rotation.inRotation(backend.node())) {
                candidates.add(backend);
            }
        }
        connect(downstream, candidates, clientGone);
    }

    private void connect(NetSocket downstream, List<Backend> candidates, AtomicBoolean clientGone) {
        if (candidates.isEmpty() || clientGone.get()) {
            downstream.close();
            return;
        }
        Backend backend = choice.pick(candidates, downstream.remoteAddress().toString());
        client.connect(backend.port(), backend.host()).onComplete(result -> {
            if (result.failed()) {
                LOG.debugf("VIP %s: node %d at %s:%d refused: %s", name, backend.node(), backend.host(),
                        backend.port(), result.cause().getMessage());
                List<Backend> rest = new ArrayList<>(candidates);
                rest.remove(backend);
                connect(downstream, rest, clientGone);
                return;
            }
            splice(downstream, result.result(), backend, clientGone);
        });
    }

    private void splice(NetSocket downstream, NetSocket upstream, Backend backend, AtomicBoolean clientGone) {
        AtomicInteger count = connections.computeIfAbsent(backend.node(), n -> new AtomicInteger());
        count.incrementAndGet();
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                count.decrementAndGet();
                downstream.close();
                upstream.close();
            }
        };
        downstream.closeHandler(v -> finish.run());
        upstream.closeHandler(v -> finish.run());
        downstream.exceptionHandler(e -> finish.run());
        upstream.exceptionHandler(e -> finish.run());
        if (clientGone.get()) {
            finish.run();
            return;
        }
        downstream.pipeTo(upstream);
        upstream.pipeTo(downstream);
    }
}
