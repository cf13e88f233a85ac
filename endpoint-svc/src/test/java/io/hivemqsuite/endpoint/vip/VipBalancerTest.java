package io.hivemqsuite.endpoint.vip;

import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * The VIP against real TCP backends: echo servers on 127.0.88.1-3 that greet with their node index, and plain
 * client sockets through 127.0.88.250.
 */
class VipBalancerTest {
    private static final String VIP_HOST = "127.0.88.250";

    private Vertx vertx;
    private final List<NetServer> echoServers = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private Rotation rotation;
    private VipBalancer vip;
    private int backendPort;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backendPort = freePort("127.0.88.1");
        for (int node = 0; node < 3; node++) {
            int index = node;
            NetServer echo = vertx.createNetServer().connectHandler(socket -> {
                socket.write("node-" + index + "\n");
                socket.handler(socket::write);
            });
            echo.listen(backendPort, "127.0.88." + (node + 1)).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            echoServers.add(echo);
        }
        rotation = new Rotation();
        health(NodeState.HEALTHY, NodeState.HEALTHY, NodeState.HEALTHY);
        vip = new VipBalancer(vertx, "mqtt", VIP_HOST, freePort(VIP_HOST), rotation, new RoundRobinChoice());
        vip.backends(List.of(new Backend(0, "127.0.88.1", backendPort), new Backend(1, "127.0.88.2", backendPort),
                new Backend(2, "127.0.88.3", backendPort)));
        vip.listen().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Client client : clients) {
            client.close();
        }
        vip.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void spreadsNewConnectionsOverHealthyNodesAndCarriesTraffic() throws Exception {
        Map<Integer, Integer> perNode = connectMany(6);
        assertEquals(Map.of(0, 2, 1, 2, 2, 2), perNode);
        for (Client client : clients) {
            assertEquals("hello from " + client.node, client.echo("hello from " + client.node));
        }
        awaitConnections(0, 2);
        clients.get(0).close();
        awaitConnections(clients.get(0).node, 1);
    }

    @Test
    void aNodeThatIsNotHealthyGetsNoConnections() throws Exception {
        health(NodeState.HEALTHY, NodeState.UNHEALTHY, NodeState.HEALTHY);
        Map<Integer, Integer> perNode = connectMany(6);
        assertFalse(perNode.containsKey(1), perNode.toString());
        assertEquals(6, perNode.values().stream().mapToInt(Integer::intValue).sum());

        health(NodeState.STARTING, null, NodeState.STOPPED);
        assertThrows(Exception.class, () -> new Client().node(), "no node in rotation: the VIP closes the connection");
    }

    @Test
    void drainStopsNewConnectionsButKeepsEstablishedOnesAndUndrainReturnsTheNode() throws Exception {
        Client established = connectTo(0);
        rotation.drain(0);

        Map<Integer, Integer> whileDrained = connectMany(6);
        assertFalse(whileDrained.containsKey(0), whileDrained.toString());
        assertEquals("still here", established.echo("still here"), "the established connection keeps working");
        assertEquals(1, vip.connections(0));

        rotation.undrain(0);
        assertTrue(connectMany(3).containsKey(0), "undrained node takes new connections again");
    }

    @Test
    void aDrainedNodeReturnsByItselfOnceItWasDownAndIsHealthyAgain() throws Exception {
        rotation.drain(2);
        health(NodeState.HEALTHY, NodeState.HEALTHY, NodeState.HEALTHY);
        assertFalse(rotation.inRotation(2), "healthy all along: still drained");
        health(NodeState.HEALTHY, NodeState.HEALTHY, NodeState.UNHEALTHY);
        assertFalse(rotation.inRotation(2));
        health(NodeState.HEALTHY, NodeState.HEALTHY, NodeState.HEALTHY);
        assertTrue(rotation.inRotation(2), "restarted node is back in rotation");
        assertTrue(connectMany(3).containsKey(2));
    }

    @Test
    void aDrainedNodeWhoseBrokerWasReplacedBetweenPollsReturnsToo() {
        rotation.drain(1);
        Map<Integer, NodeStatus> restarted = new HashMap<>();
        restarted.put(1, status(1, NodeState.HEALTHY, 999));
        rotation.update(restarted);
        assertTrue(rotation.inRotation(1), "another broker pid means the drained broker stopped");
    }

    @Test
    void aNodeThatRefusesIsSkippedForTheNext() throws Exception {
        echoServers.get(1).close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Map<Integer, Integer> perNode = connectMany(6);
        assertFalse(perNode.containsKey(1));
        assertEquals(6, perNode.values().stream().mapToInt(Integer::intValue).sum());
    }

    private Client connectTo(int node) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            Client client = new Client();
            clients.add(client);
            if (client.node() == node) {
                return client;
            }
        }
        throw new AssertionError("never reached node " + node);
    }

    private Map<Integer, Integer> connectMany(int count) throws Exception {
        Map<Integer, Integer> perNode = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Client client = new Client();
            clients.add(client);
            perNode.merge(client.node(), 1, Integer::sum);
        }
        return perNode;
    }

    private void awaitConnections(int node, int expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(expected, vip.connections(node)));
    }

    private void health(NodeState... states) {
        Map<Integer, NodeStatus> statuses = new HashMap<>();
        for (int i = 0; i < states.length; i++) {
            if (states[i] != null) {
                statuses.put(i, status(i, states[i], 100 + i));
            }
        }
        rotation.update(statuses);
    }

    private static NodeStatus status(int node, NodeState state, long pid) {
        return new NodeStatus(node, "hivemq-" + node, "127.0.88." + (node + 1), state, pid, 1, Map.of(), "", 0);
    }

    private static int freePort(String host) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        int node = -1;

        Client() throws Exception {
            socket = new Socket(VIP_HOST, vip.port());
            socket.setSoTimeout(3000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        int node() throws Exception {
            if (node < 0) {
                String greeting = in.readLine();
                if (greeting == null) {
                    throw new java.io.EOFException("VIP closed the connection");
                }
                node = Integer.parseInt(greeting.substring("node-".length()));
            }
            return node;
        }

        String echo(String line) throws Exception {
            node();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
