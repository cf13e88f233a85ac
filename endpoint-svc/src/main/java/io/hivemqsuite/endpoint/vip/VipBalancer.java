package io.hivemqsuite.endpoint.vip;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One VIP: a layer-4 TCP proxy on {@code vipAddress:vipPort} that hands each new connection to a backend and then
 * only pipes bytes, on the Vert.x event loop with back pressure (no thread per connection). On the plain MQTT
 * listener it first reads the client identifier from the CONNECT, so that the {@link BackendChoice} can send
 * each client to its home node (where its persistent session is); a home that is out of rotation but still in the
 * spec makes the connection wait up to the hold time. Rotation is consulted only when a connection arrives, so
 * draining a node never touches its established connections: the broker's own shutdown ends them.
 */
public class VipBalancer {
    private static final Logger LOG = Logger.getLogger(VipBalancer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    /** A CONNECT is small; this bounds what an idle or hostile client can make the VIP buffer. */
    static final int MAX_FIRST_PACKET_BYTES = 64 * 1024;
    private static final long FIRST_PACKET_TIMEOUT_MILLIS = 10_000;
    private static final long HOLD_POLL_MILLIS = 100;

    private final Vertx vertx;
    private final String name;
    private final String host;
    private final int port;
    private final Rotation rotation;
    private final BackendChoice choice;
    private final NetClient client;
    private final Affinity affinity;
    private final Duration hold;
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<Integer, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile List<Backend> backends = List.of();
    private NetServer server;

    /** What a VIP keys its backend choice on. */
    public enum Affinity {
        /** Nothing: the choice gets an empty key (round robin). */
        NONE,
        /** The MQTT client identifier, read from the plain-TCP CONNECT. */
        MQTT_CLIENT_ID,
        /** The client's source host: for TLS and WebSocket listeners, whose CONNECT the VIP cannot read. */
        SOURCE_HOST
    }

    public VipBalancer(Vertx vertx, String name, String host, int port, Rotation rotation, BackendChoice choice) {
        this(vertx, name, host, port, rotation, choice, Affinity.NONE, Duration.ZERO);
    }

    public VipBalancer(Vertx vertx, String name, String host, int port, Rotation rotation, BackendChoice choice,
                       Affinity affinity, Duration hold) {
        this.affinity = affinity;
        this.hold = hold;
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

    /** Connections waiting now for their home node. */
    public int holding() {
        return holding.get();
    }

    /** Connections that gave up waiting for their home and went to another node. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Connections closed because their first packet was not a readable CONNECT. */
    public long rejected() {
        return rejected.get();
    }

    /** Client connections taken in since this VIP opened, whatever became of them. */
    public long accepted() {
        return accepted.get();
    }

    public int totalConnections() {
        return connections.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void accept(NetSocket downstream) {
        accepted.incrementAndGet();
        downstream.pause();
        Pending pending = new Pending(downstream, System.nanoTime() + hold.toNanos());
        downstream.closeHandler(v -> pending.clientGone.set(true));
        switch (affinity) {
            case NONE -> route(pending);
            case SOURCE_HOST -> {
                pending.key = downstream.remoteAddress().host();
                route(pending);
            }
            case MQTT_CLIENT_ID -> readConnect(pending);
        }
    }

    /**
     * Buffers the client's first bytes until its CONNECT shows the client identifier; those bytes then go to the
     * chosen broker unchanged. A first packet that is not a CONNECT, is malformed, needs more than
     * {@link #MAX_FIRST_PACKET_BYTES} before the identifier, or does not arrive in time closes the connection.
     */
    private void readConnect(Pending pending) {
        NetSocket downstream = pending.downstream;
        AtomicBoolean decided = new AtomicBoolean();
        long timer = vertx.setTimer(FIRST_PACKET_TIMEOUT_MILLIS, t -> {
            if (decided.compareAndSet(false, true)) {
                LOG.debugf("VIP %s: no CONNECT from %s in time; closed", name, downstream.remoteAddress());
                rejected.incrementAndGet();
                downstream.close();
            }
        });
        // Until the pipe replaces this handler, every chunk is kept: the pause below takes effect between chunks.
        downstream.handler(chunk -> {
            pending.buffered.appendBuffer(chunk);
            if (decided.get()) {
                return;
            }
            byte[] bytes = pending.buffered.getBytes();
            ConnectPacket.Result result = ConnectPacket.clientId(bytes, bytes.length);
            if (result.status() == ConnectPacket.Status.NEED_MORE && bytes.length <= MAX_FIRST_PACKET_BYTES) {
                return;
            }
            decided.set(true);
            vertx.cancelTimer(timer);
            if (result.status() != ConnectPacket.Status.CLIENT_ID) {
                LOG.debugf("VIP %s: first packet from %s is not a readable MQTT CONNECT; closed", name,
                        downstream.remoteAddress());
                rejected.incrementAndGet();
                downstream.close();
                return;
            }
            downstream.pause();
            pending.key = result.clientId();
            route(pending);
        });
        downstream.resume();
    }

    /**
     * Follows the choice's route. A sticky route waits for its home while the home is in the spec but out of
     * rotation (or refuses: its broker is just restarting), re-checking every {@link #HOLD_POLL_MILLIS}, until
     * the hold time is up; then, like a non-sticky route, it takes the first backend in rotation that accepts.
     */
    private void route(Pending pending) {
        if (pending.clientGone.get()) {
            pending.release();
            pending.downstream.close();
            return;
        }
        List<Backend> all = backends;
        List<Backend> inRotation = new ArrayList<>();
        for (Backend backend : all) {
            if (rotation.inRotation(backend.node())) {
                inRotation.add(backend);
            }
        }
        BackendChoice.Route route = choice.route(all, inRotation, pending.key);
        boolean homeMoved = !route.order().isEmpty() && rotation.moving(route.order().get(0).node());
        if (route.sticky() && !homeMoved && !route.order().isEmpty() && System.nanoTime() - pending.holdUntil < 0) {
            Backend home = route.order().get(0);
            if (!rotation.inRotation(home.node())) {
                pending.hold(home);
                vertx.setTimer(HOLD_POLL_MILLIS, t -> route(pending));
                return;
            }
            client.connect(home.port(), home.host()).onComplete(result -> {
                if (result.succeeded()) {
                    splice(pending, result.result(), home);
                } else {
                    pending.hold(home);
                    vertx.setTimer(HOLD_POLL_MILLIS, t -> route(pending));
                }
            });
            return;
        }
        if (route.sticky() && pending.holding) {
            LOG.infof("VIP %s: home of client %s (node %d) not back within %d ms; falling back", name, pending.key,
                    route.order().isEmpty() ? -1 : route.order().get(0).node(), hold.toMillis());
            fallbacks.incrementAndGet();
        }
        pending.release();
        List<Backend> candidates = new ArrayList<>();
        for (Backend backend : route.order()) {
            if (rotation.inRotation(backend.node())) {
                candidates.add(backend);
            }
        }
        connect(pending, candidates);
    }

    private void connect(Pending pending, List<Backend> candidates) {
        if (candidates.isEmpty() || pending.clientGone.get()) {
            pending.downstream.close();
            return;
        }
        Backend backend = candidates.get(0);
        client.connect(backend.port(), backend.host()).onComplete(result -> {
            if (result.failed()) {
                LOG.debugf("VIP %s: node %d at %s:%d refused: %s", name, backend.node(), backend.host(),
                        backend.port(), result.cause().getMessage());
                connect(pending, candidates.subList(1, candidates.size()));
                return;
            }
            splice(pending, result.result(), backend);
        });
    }

    private void splice(Pending pending, NetSocket upstream, Backend backend) {
        pending.release();
        NetSocket downstream = pending.downstream;
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
        if (pending.clientGone.get()) {
            finish.run();
            return;
        }
        if (pending.buffered.length() > 0) {
            upstream.write(pending.buffered);
        }
        downstream.pipeTo(upstream);
        upstream.pipeTo(downstream);
    }

    /** A client connection not yet spliced to a backend. Touched only on its event loop. */
    private final class Pending {
        final NetSocket downstream;
        final long holdUntil;
        final AtomicBoolean clientGone = new AtomicBoolean();
        final Buffer buffered = Buffer.buffer();
        String key = "";
        boolean holding;

        Pending(NetSocket downstream, long holdUntil) {
            this.downstream = downstream;
            this.holdUntil = holdUntil;
        }

        void hold(Backend home) {
            if (!holding) {
                holding = true;
                VipBalancer.this.holding.incrementAndGet();
                LOG.debugf("VIP %s: holding client %s for its home node %d", name, key, home.node());
            }
        }

        void release() {
            if (holding) {
                holding = false;
                VipBalancer.this.holding.decrementAndGet();
            }
        }
    }
}
