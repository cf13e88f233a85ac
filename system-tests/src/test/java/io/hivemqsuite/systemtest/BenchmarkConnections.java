package io.hivemqsuite.systemtest;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;

/** Paho connection settings the benchmarks share, so their figures compare. */
final class BenchmarkConnections {
    private BenchmarkConnections() {
    }

    /** Paho does not switch Nagle off; without it every QoS 1 round trip waits for a delayed ACK (~40 ms). */
    private static final SocketFactory NO_DELAY = new SocketFactory() {
        private final SocketFactory plain = SocketFactory.getDefault();

        private Socket noDelay(Socket socket) throws SocketException {
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }
    };

    /** Clean start, Nagle off, 10 s connect timeout, the largest receive maximum. */
    static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(NO_DELAY);
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setReceiveMaximum(65535);
        return options;
    }
}
