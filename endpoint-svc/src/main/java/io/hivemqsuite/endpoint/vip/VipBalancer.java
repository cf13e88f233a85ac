package io.hivemqsuite.endpoint.vip;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One VIP: a layer-4 TCP proxy on {@code vipAddress:vipPort} that hands each new connection to a backend and then
 * only relays bytes. On the plain MQTT listener it first reads the client identifier from the CONNECT, so that the
 * {@link BackendChoice} can send each client to its home node (where its persistent session is); a home that is out
 * of rotation but still in the spec makes the connection wait up to the hold time. Rotation is consulted only when a
 * connection arrives, so draining a node never touches its established connections: the broker's own shutdown ends
 * them.
 *
 * <p>The proxying is plain Netty on one of Vert.x's event loops rather than Vert.x's {@code NetServer}/{@code
 * NetClient}, for what a proxy pays per connection and per chunk (profiled against HAProxy, see
 * {@code benchmarks/README.md}): that one loop accepts, parses, connects to the broker and relays, where a Vert.x
 * server accepts on its acceptor thread and hands each connection over to an event loop (one more thread wake-up per
 * connection on a busy machine); a chunk goes from one socket to the other as the pooled buffer it was read into,
 * where Vert.x copies it into a heap buffer and records it in Quarkus' per-server TCP meters; writes are flushed once
 * per read batch; back pressure stops reading a side while the other side's socket is not writable.
 */
public class VipBalancer {
    private static final Logger LOG = Logger.getLogger(VipBalancer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    /** A CONNECT is small; this bounds what an idle or hostile client can make the VIP buffer. */
    static final int MAX_FIRST_PACKET_BYTES = 64 * 1024;
    private static final long FIRST_PACKET_TIMEOUT_MILLIS = 10_000;
    private static final long HOLD_POLL_MILLIS = 100;

    private final String name;
    private final String host;
    private final int port;
    private final Rotation rotation;
    private final BackendChoice choice;
    private final Affinity affinity;
    private final Duration hold;
    /** Accepts, parses, connects and relays: no hand-over between threads on a connection's way. */
    private final EventLoop loop;
    private final Transport transport;
    private final Bootstrap backendBootstrap;
    /** Every client and broker connection of this VIP, closed with it. */
    private final ChannelGroup open;
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<Integer, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile List<Backend> backends = List.of();
    private Channel server;

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
        this.name = name;
        this.host = host;
        this.port = port;
        this.rotation = rotation;
        this.choice = choice;
        VertxInternal internal = (VertxInternal) vertx;
        this.loop = internal.getEventLoopGroup().next();
        this.transport = internal.transport();
        this.open = new DefaultChannelGroup("vip-" + name, loop);
        // The broker side reads only once it is spliced to its client (auto-read off until then).
        this.backendBootstrap = new Bootstrap().group(loop).channelFactory(transport.channelFactory(false))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                });
    }

    public Future<VipBalancer> listen() {
        Promise<VipBalancer> listening = Promise.promise();
        ChannelFuture bound = new ServerBootstrap().group(loop, loop)
                .channelFactory(transport.serverChannelFactory(false))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new Accepted(channel));
                    }
                })
                .bind(new InetSocketAddress(host, port));
        bound.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                server = f.channel();
                LOG.infof("VIP %s listens on %s:%d", name, host, port);
                listening.complete(this);
            } else {
                listening.fail(f.cause());
            }
        });
        return listening.future();
    }

    public Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        Channel listening = server;
        ChannelFuture serverClosed = listening == null ? null : listening.close();
        Runnable closeConnections = () -> open.close().addListener(f -> closed.complete());
        if (serverClosed == null) {
            closeConnections.run();
        } else {
            serverClosed.addListener(f -> closeConnections.run());
        }
        return closed.future();
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

    /**
     * A client connection until it is spliced to a broker: reads the CONNECT where the affinity needs it, keeping
     * every byte for the broker. A first packet that is not a CONNECT, is malformed, needs more than
     * {@link #MAX_FIRST_PACKET_BYTES} before the identifier, or does not arrive in time closes the connection.
     * Touched only on the VIP's event loop.
     */
    private final class Accepted extends ChannelInboundHandlerAdapter {
        final Channel downstream;
        /** What the client sent before its broker connection is there; written to the broker first. */
        final ByteBuf buffered = Unpooled.buffer(256);
        long holdUntil;
        boolean clientGone;
        boolean decided;
        boolean holding;
        boolean spliced;
        String key = "";
        io.netty.util.concurrent.Future<?> firstPacketTimer;

        Accepted(Channel downstream) {
            this.downstream = downstream;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            open.add(downstream);
            holdUntil = System.nanoTime() + hold.toNanos();
            switch (affinity) {
                case NONE -> decide("");
                case SOURCE_HOST -> decide(((InetSocketAddress) downstream.remoteAddress()).getAddress()
                        .getHostAddress());
                case MQTT_CLIENT_ID -> {
                    firstPacketTimer = loop.schedule(() -> {
                        if (!decided) {
                            LOG.debugf("VIP %s: no CONNECT from %s in time; closed", name, downstream.remoteAddress());
                            reject();
                        }
                    }, FIRST_PACKET_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    downstream.config().setAutoRead(true);
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Until the splice replaces this handler, every chunk is kept: reading stops once the CONNECT is read,
            // but the chunks of the read batch under way still arrive.
            ByteBuf chunk = (ByteBuf) msg;
            try {
                buffered.writeBytes(chunk);
            } finally {
                ReferenceCountUtil.release(chunk);
            }
            if (decided) {
                return;
            }
            // a heap buffer from index 0, never read from: its array holds the bytes as they came
            ConnectPacket.Result result = ConnectPacket.clientId(buffered.array(), buffered.writerIndex());
            if (result.status() == ConnectPacket.Status.NEED_MORE && buffered.readableBytes() <= MAX_FIRST_PACKET_BYTES) {
                return;
            }
            firstPacketTimer.cancel(false);
            if (result.status() != ConnectPacket.Status.CLIENT_ID) {
                LOG.debugf("VIP %s: first packet from %s is not a readable MQTT CONNECT; closed", name,
                        downstream.remoteAddress());
                reject();
                return;
            }
            decide(result.clientId());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            clientGone = true;
            if (firstPacketTimer != null) {
                firstPacketTimer.cancel(false);
            }
            if (!spliced) {
                buffered.release();
            }
            release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debugf("VIP %s: client %s: %s", name, downstream.remoteAddress(), cause.getMessage());
            downstream.close();
        }

        private void reject() {
            decided = true;
            rejected.incrementAndGet();
            downstream.close();
        }

        private void decide(String affinityKey) {
            decided = true;
            key = affinityKey;
            downstream.config().setAutoRead(false);
            route();
        }

        /**
         * Follows the choice's route. A sticky route waits for its home while the home is in the spec but out of
         * rotation (or refuses: its broker is just restarting), re-checking every {@link #HOLD_POLL_MILLIS}, until
         * the hold time is up; then, like a non-sticky route, it takes the first backend in rotation that accepts.
         */
        private void route() {
            if (clientGone) {
                release();
                return;
            }
            List<Backend> all = backends;
            List<Backend> inRotation = new ArrayList<>(all.size());
            for (Backend backend : all) {
                if (rotation.inRotation(backend.node())) {
                    inRotation.add(backend);
                }
            }
            BackendChoice.Route route = choice.route(all, inRotation, key);
            boolean homeMoved = !route.order().isEmpty() && rotation.moving(route.order().get(0).node());
            if (route.sticky() && !homeMoved && !route.order().isEmpty() && System.nanoTime() - holdUntil < 0) {
                Backend home = route.order().get(0);
                if (!inRotation.contains(home)) {
                    holdFor(home);
                    return;
                }
                backendBootstrap.connect(home.host(), home.port()).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        splice(f.channel(), home);
                    } else {
                        holdFor(home);
                    }
                });
                return;
            }
            if (route.sticky() && holding) {
                LOG.infof("VIP %s: home of client %s (node %d) not back within %d ms; falling back", name, key,
                        route.order().isEmpty() ? -1 : route.order().get(0).node(), hold.toMillis());
                fallbacks.incrementAndGet();
            }
            release();
            List<Backend> candidates = new ArrayList<>(route.order().size());
            for (Backend backend : route.order()) {
                if (inRotation.contains(backend)) {
                    candidates.add(backend);
                }
            }
            connect(candidates);
        }

        private void holdFor(Backend home) {
            if (!holding) {
                holding = true;
                VipBalancer.this.holding.incrementAndGet();
                LOG.debugf("VIP %s: holding client %s for its home node %d", name, key, home.node());
            }
            loop.schedule(this::route, HOLD_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }

        private void release() {
            if (holding) {
                holding = false;
                VipBalancer.this.holding.decrementAndGet();
            }
        }

        private void connect(List<Backend> candidates) {
            if (candidates.isEmpty() || clientGone) {
                downstream.close();
                return;
            }
            Backend backend = candidates.get(0);
            backendBootstrap.connect(backend.host(), backend.port()).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    LOG.debugf("VIP %s: node %d at %s:%d refused: %s", name, backend.node(), backend.host(),
                            backend.port(), f.cause().getMessage());
                    connect(candidates.subList(1, candidates.size()));
                    return;
                }
                splice(f.channel(), backend);
            });
        }

        private void splice(Channel upstream, Backend backend) {
            release();
            open.add(upstream);
            if (clientGone) {
                upstream.close();
                return;
            }
            AtomicInteger count = connections.computeIfAbsent(backend.node(), n -> new AtomicInteger());
            count.incrementAndGet();
            Splice splice = new Splice(count);
            spliced = true;
            // the broker side's outbound buffer takes the first bytes over (and releases them once written)
            upstream.writeAndFlush(buffered, upstream.voidPromise());
            upstream.pipeline().addLast(new Relay(downstream, splice));
            downstream.pipeline().replace(this, "vip-relay", new Relay(upstream, splice));
            upstream.config().setAutoRead(true);
            downstream.config().setAutoRead(true);
        }
    }

    /** One client-broker pair: counted for its node until either side closes, which closes the other. */
    private static final class Splice {
        final AtomicInteger count;
        boolean done;

        Splice(AtomicInteger count) {
            this.count = count;
        }

        void end(Channel a, Channel b) {
            if (!done) {
                done = true;
                count.decrementAndGet();
            }
            closeAfterFlush(a);
            closeAfterFlush(b);
        }

        private static void closeAfterFlush(Channel channel) {
            if (channel.isActive()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /**
     * One direction of a spliced pair: what one side reads goes to the other as it is, flushed once per read batch;
     * while the other side cannot take more (its socket buffer and Netty's outbound buffer past the high water mark)
     * this side stops reading.
     */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;
        private final Splice splice;

        Relay(Channel peer, Splice splice) {
            this.peer = peer;
            this.splice = splice;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            peer.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            splice.end(ctx.channel(), peer);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            splice.end(ctx.channel(), peer);
        }
    }
}
