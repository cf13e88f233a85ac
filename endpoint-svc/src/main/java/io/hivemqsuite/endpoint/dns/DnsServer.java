package io.hivemqsuite.endpoint.dns;

import org.jboss.logging.Logger;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The machine-wide DNS server of local mode, on UDP and TCP. Every endpoint service runs one, but only the one that
 * manages to bind the address serves; the others retry every {@code retry} and take over when the holder stops,
 * like a Mesos-DNS that outlives any one service.
 */
public class DnsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    private static final int TCP_IDLE_MILLIS = 5000;

    private final InetSocketAddress address;
    private final DnsAnswers answers;
    private final Duration retry;
    private final ExecutorService tcpWorkers = new ThreadPoolExecutor(0, 8, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64), r -> daemon(r, "dns-tcp"), new ThreadPoolExecutor.DiscardPolicy());
    private volatile boolean running;
    private volatile boolean serving;
    private volatile DatagramChannel udp;
    private volatile ServerSocketChannel tcp;
    private Thread binder;

    public DnsServer(InetSocketAddress address, DnsAnswers answers, Duration retry) {
        this.address = address;
        this.answers = answers;
        this.retry = retry;
    }

    public synchronized void start() {
        running = true;
        binder = daemon(this::bindAndServe, "dns-udp");
        binder.start();
    }

    /** Whether this instance holds the address and answers queries. */
    public boolean serving() {
        return serving;
    }

    public InetSocketAddress address() {
        return address;
    }

    private void bindAndServe() {
        boolean told = false;
        while (running) {
            if (tryBind()) {
                LOG.infof("DNS server answers on %s (UDP and TCP) for every zone under the suite home", address);
                serving = true;
                Thread acceptor = daemon(this::acceptTcp, "dns-tcp-accept");
                acceptor.start();
                serveUdp();
                serving = false;
                closeChannels();
                told = false;
                continue;
            }
            if (!told) {
                LOG.infof("DNS address %s is held by another process; retrying every %d s to take over",
                        address, retry.toSeconds());
                told = true;
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean tryBind() {
        DatagramChannel u = null;
        ServerSocketChannel t = null;
        try {
            u = DatagramChannel.open();
            u.bind(address);
            t = ServerSocketChannel.open();
            // No SO_REUSEADDR games: binding must fail while another server holds the port.
            t.bind(address, 32);
            udp = u;
            tcp = t;
            return true;
        } catch (IOException e) {
            closeQuietly(u);
            closeQuietly(t);
            return false;
        }
    }

    private void serveUdp() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (running) {
            try {
                buffer.clear();
                SocketAddress client = udp.receive(buffer);
                buffer.flip();
                byte[] request = new byte[buffer.remaining()];
                buffer.get(request);
                byte[] response = answers.answer(request, 512);
                if (response != null) {
                    udp.send(ByteBuffer.wrap(response), client);
                }
            } catch (IOException e) {
                if (running) {
                    LOG.warnf("DNS UDP socket failed, rebinding: %s", e.getMessage());
                }
                return;
            } catch (RuntimeException e) {
                LOG.warn("DNS query failed", e);
            }
        }
    }

    private void acceptTcp() {
        ServerSocketChannel server = tcp;
        while (running && server != null && server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                tcpWorkers.execute(() -> serveTcp(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveTcp(SocketChannel connection) {
        try (connection) {
            connection.socket().setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(connection.socket().getInputStream());
            DataOutputStream out = new DataOutputStream(connection.socket().getOutputStream());
            while (running) {
                int length = in.readUnsignedShort();
                byte[] request = in.readNBytes(length);
                if (request.length < length) {
                    return;
                }
                byte[] response = answers.answer(request, 65535);
                if (response == null) {
                    return;
                }
                out.writeShort(response.length);
                out.write(response);
                out.flush();
            }
        } catch (SocketTimeoutException | java.io.EOFException e) {
            // The client is done with the connection.
        } catch (IOException e) {
            LOG.debugf("DNS TCP connection failed: %s", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        closeChannels();
        if (binder != null) {
            binder.interrupt();
            try {
                binder.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        serving = false;
        tcpWorkers.shutdownNow();
    }

    private void closeChannels() {
        closeQuietly(udp);
        closeQuietly(tcp);
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
