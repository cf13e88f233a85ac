package io.hivemqsuite.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * One client connection to a broker through a relay the test controls, so a client can really lose its network:
 * {@link #cut()} closes both sockets (the broker sees an I/O error), {@link #freeze()} stops carrying bytes while the
 * sockets stay open (the broker only notices when the keep alive runs out).
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final String host;
    private final int port;
    private volatile boolean frozen;
    private volatile Socket client;
    private volatile Socket upstream;

    TcpRelay(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            client = server.accept();
            upstream = new Socket(host, port);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            // closed before a client came
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!frozen) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            }
            closeQuietly(to);
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    void cut() {
        closeQuietly(client);
        closeQuietly(upstream);
    }

    void freeze() {
        frozen = true;
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
