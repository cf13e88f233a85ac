package io.hivemqsuite.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether a listener accepts TCP connections: what a client would notice first. */
public final class ListenerProbe {
    private static final int TIMEOUT_MILLIS = 1000;

    private ListenerProbe() {
    }

    public static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
