package io.hivemqsuite.endpoint.vip;

import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * Client-id affinity of the MQTT VIP with real MQTT clients (Eclipse Paho 3.1.1 and 5) and hand-built CONNECTs.
 * The backends on 127.0.88.11-13 are minimal MQTT servers: they keep every CONNECT's bytes, answer with a CONNACK
 * whose session-present flag says whether they have seen that client before (as a broker with a persistent
 * session would), and answer PINGREQ.
 */
class VipAffinityTest {
    private static final String VIP_HOST = "127.0.88.251";
    private static final Duration HOLD = Duration.ofMillis(1500);

    private Vertx vertx;
    private Rotation rotation;
    private VipBalancer vip;
    private final List<MqttBackend> backends = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        int port = freePort("127.0.88.11");
        for (int node = 0; node < 3; node++) {
            backends.add(new MqttBackend(node, "127.0.88." + (11 + node), port));
        }
        rotation = new Rotation();
        health(NodeState.HEALTHY, NodeState.HEALTHY, NodeState.HEALTHY);
        vip = new VipBalancer(vertx, "mqtt", VIP_HOST, freePort(VIP_HOST), rotation, new RendezvousChoice(),
                VipBalancer.Affinity.MQTT_CLIENT_ID, HOLD);
        vip.backends(all());
        vip.listen().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already gone
            }
        }
        vip.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theSameClientIdAlwaysLandsOnItsHomeAndDifferentIdsSpread() throws Exception {
        Map<Integer, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String id = String.format("spread-%03d", i);
            int first = connectV5(id);
            for (int again = 0; again < 1; again++) {
                assertEquals(first, connectV5(id), id + " moved between connections");
            }
            assertEquals(home(id), first, id + " is not on its rendezvous home");
            perNode.merge(first, 1, Integer::sum);
        }
        assertEquals(Set.of(0, 1, 2), perNode.keySet(), "30 ids over 3 nodes: " + perNode);
        assertTrue(perNode.values().stream().allMatch(n -> n >= 4), "too uneven: " + perNode);
    }

    @Test
    void mqtt311And5ConnectsAreReadAndForwardedUnchanged() throws Exception {
        // Paho 3.1.1 (protocol level 4) and 3.1 (MQIsdp, level 3).
        for (int version : new int[]{MqttConnectOptions.MQTT_VERSION_3_1_1, MqttConnectOptions.MQTT_VERSION_3_1}) {
            String id = "v3-client-" + version;
            MqttClient v3 = new MqttClient("tcp://" + VIP_HOST + ":" + vip.port(), id,
                    new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(version);
            options.setCleanSession(false);
            options.setWill("last/will", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
            options.setUserName("user");
            options.setPassword("secret".toCharArray());
            v3.connect(options);
            assertEquals(home(id), nodeOf(id));
            v3.disconnect();
            v3.close();
        }

        // MQTT 5 with properties before the client id (session expiry, user properties, receive maximum): the
        // properties length must be skipped correctly, and the bytes arrive one by one.
        String id = "hand-built-v5";
        byte[] connect = v5Connect(id, 3000);
        try (Socket socket = new Socket(VIP_HOST, vip.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            for (byte b : connect) {
                out.write(b);
                out.flush();
            }
            assertEquals(0x20, socket.getInputStream().read(), "CONNACK through the VIP");
            int node = nodeOf(id);
            assertEquals(home(id), node);
            assertArrayEquals(connect, backends.get(node).connects.get(0), "the broker got the CONNECT unchanged");
        }
    }

    @Test
    void emptyClientIdsGoRoundRobin() throws Exception {
        Set<Integer> nodes = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket(VIP_HOST, vip.port())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(v5Connect("", 0));
                assertEquals(0x20, socket.getInputStream().read());
            }
        }
        for (MqttBackend backend : backends) {
            if (!backend.connects.isEmpty()) {
                nodes.add(backend.node);
            }
        }
        assertEquals(Set.of(0, 1, 2), nodes, "three clients without an id, one per node");
    }

    @Test
    void aDrainedHomeHoldsItsClientsUntilUndrainAndTheSessionIsThere() throws Exception {
        String id = "held-client";
        int home = home(id);
        assertEquals(home, connectV5(id));
        rotation.drain(home);

        CompletableFuture<Boolean> sessionPresent = CompletableFuture.supplyAsync(() -> {
            try {
                return connectV5Session(id);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // The client waits while its home is drained: held by the VIP, not answered, for as long as we look.
        await().atMost(Duration.ofSeconds(5)).until(() -> vip.holding() == 1);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> !sessionPresent.isDone() && vip.holding() == 1);
        assertEquals(1, backends.get(home).connects.size(), "no second CONNECT reached any node");
        assertEquals(1, backends.stream().mapToInt(b -> b.connects.size()).sum());

        rotation.undrain(home);
        assertTrue(sessionPresent.get(5, TimeUnit.SECONDS), "back on its home: session present");
        assertEquals(2, backends.get(home).connects.size());
        assertEquals(0, vip.holding());
        assertEquals(0, vip.fallbacks());
    }

    @Test
    void aHomeDrainedForAMoveSendsItsClientsToTheirNextNodeAtOnce() throws Exception {
        String id = "moving-client";
        List<Backend> order = RendezvousChoice.order(all(), id);
        int home = order.get(0).node();
        assertEquals(home, connectV5(id));
        rotation.drain(home, true);

        long start = System.nanoTime();
        assertEquals(order.get(1).node(), connectV5(id), "the second choice in hash order takes it");
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited < HOLD.toMillis(), "not held for its home: took " + waited + " ms");
        assertEquals(0, vip.fallbacks(), "a move is no fallback");

        // A plain drain of the same node later does not make it a home to wait for again.
        rotation.drain(home);
        assertTrue(rotation.moving(home));
        rotation.undrain(home);
        assertEquals(home, connectV5(id), "back in rotation: its home again");
    }

    @Test
    void afterTheHoldTimeTheClientFallsBackToTheNextNodeInHashOrder() throws Exception {
        String id = "fallback-client";
        List<Backend> order = RendezvousChoice.order(all(), id);
        int home = order.get(0).node();
        NodeState[] states = {NodeState.HEALTHY, NodeState.HEALTHY, NodeState.HEALTHY};
        states[home] = NodeState.UNHEALTHY; // restarting, still in the spec
        health(states);
        long start = System.nanoTime();
        assertEquals(order.get(1).node(), connectV5(id));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= HOLD.toMillis() - 100, "fell back after " + waited + " ms, before the hold time");
        assertEquals(1, vip.fallbacks());
    }

    @Test
    void aHomeThatLeavesTheSpecMovesOnlyItsClientsAtOnce() throws Exception {
        Map<String, Integer> before = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String id = String.format("scale-%03d", i);
            before.put(id, home(id));
        }
        vip.backends(all().subList(0, 2)); // node 2 decommissioned
        for (Map.Entry<String, Integer> e : before.entrySet()) {
            long start = System.nanoTime();
            int node = connectV5(e.getKey());
            assertTrue((System.nanoTime() - start) / 1_000_000 < HOLD.toMillis(), "no hold for a node gone for good");
            if (e.getValue() != 2) {
                assertEquals(e.getValue(), node, e.getKey() + " moved although its home stayed");
            } else {
                assertTrue(node < 2);
            }
        }
    }

    @Test
    void aFirstPacketThatIsNotAReadableConnectIsClosed() throws Exception {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] badProtocol = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00};
        byte[] reservedFlag = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x03, 0x00, 0x3c, 0x00, 0x00};
        byte[] tooLongLength = {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        // A CONNECT whose properties push the client id beyond the buffer bound.
        ByteArrayOutputStream oversized = new ByteArrayOutputStream();
        oversized.write(new byte[]{0x10, (byte) 0x80, (byte) 0x80, 0x08}); // remaining length 131072
        oversized.write(new byte[]{0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3c});
        oversized.write(new byte[]{(byte) 0xf0, (byte) 0xff, 0x07}); // properties length 131056
        oversized.write(new byte[VipBalancer.MAX_FIRST_PACKET_BYTES]);
        for (byte[] first : List.of(http, badProtocol, reservedFlag, tooLongLength, oversized.toByteArray())) {
            try (Socket socket = new Socket(VIP_HOST, vip.port())) {
                socket.setSoTimeout(5000);
                try {
                    socket.getOutputStream().write(first);
                    assertEquals(-1, socket.getInputStream().read(), "closed: " + Arrays.toString(
                            Arrays.copyOf(first, Math.min(first.length, 12))));
                } catch (java.net.SocketException reset) {
                    // closed while we were still writing: closed, too
                }
            }
        }
        assertEquals(5, vip.rejected());
        assertEquals(0, backends.stream().mapToInt(b -> b.accepted).sum(), "no node saw any of them");
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private List<Backend> all() {
        List<Backend> list = new ArrayList<>();
        for (MqttBackend b : backends) {
            list.add(new Backend(b.node, b.host, b.port));
        }
        return list;
    }

    private int home(String id) {
        return RendezvousChoice.order(all(), id).get(0).node();
    }

    /** Connects with Paho MQTT 5 through the VIP, disconnects, and returns the node that got the CONNECT. */
    private int connectV5(String id) throws Exception {
        connectV5Session(id);
        return nodeOf(id);
    }

    private boolean connectV5Session(String id) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://" + VIP_HOST + ":" + vip.port(), id, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setConnectionTimeout(10);
        options.setUserName("user-" + id);
        options.setPassword("pw".getBytes(StandardCharsets.UTF_8));
        try {
            return client.connectWithResult(options).getSessionPresent();
        } finally {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close();
        }
    }

    /** The node whose backend received the latest CONNECT carrying this id (ids in the tests are not prefixes). */
    private int nodeOf(String id) {
        byte[] needle = id.getBytes(StandardCharsets.UTF_8);
        int found = -1;
        long latest = -1;
        for (MqttBackend backend : backends) {
            for (int i = 0; i < backend.connects.size(); i++) {
                if (contains(backend.connects.get(i), needle) && backend.times.get(i) > latest) {
                    latest = backend.times.get(i);
                    found = backend.node;
                }
            }
        }
        if (found < 0) {
            throw new AssertionError("no node got a CONNECT from " + id);
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            // Delimited: the 2-byte length prefix before it must equal the id's length.
            if (i >= 2 && ((haystack[i - 2] & 0xff) << 8 | (haystack[i - 1] & 0xff)) == needle.length) {
                return true;
            }
        }
        return false;
    }

    /** An MQTT 5 CONNECT built by hand, with properties ahead of the client id. */
    private static byte[] v5Connect(String id, long sessionExpiry) throws Exception {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.write(new byte[]{0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x00, 0x00, 0x3c});
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        props.write(0x11); // session expiry
        props.write(new byte[]{(byte) (sessionExpiry >>> 24), (byte) (sessionExpiry >>> 16), (byte) (sessionExpiry >>> 8),
                (byte) sessionExpiry});
        props.write(0x21); // receive maximum
        props.write(new byte[]{0x00, 0x0a});
        UserProperty user = new UserProperty("region", "eu-west");
        props.write(0x26);
        utf8(props, user.getKey());
        utf8(props, user.getValue());
        variable.write(props.size()); // < 128: one byte
        variable.write(props.toByteArray());
        utf8(variable, id);
        byte[] body = variable.toByteArray();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.length); // < 128
        packet.write(body);
        return packet.toByteArray();
    }

    private static void utf8(ByteArrayOutputStream out, String s) throws Exception {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.write(b);
    }

    private void health(NodeState... states) {
        Map<Integer, NodeStatus> statuses = new HashMap<>();
        for (int i = 0; i < states.length; i++) {
            statuses.put(i, new NodeStatus(i, "hivemq-" + i, "127.0.88." + (11 + i), states[i], 100 + i, 1, Map.of(),
                    "", 0));
        }
        rotation.update(statuses);
    }

    private static int freePort(String host) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** A minimal MQTT server: enough of CONNECT/CONNACK, PINGREQ and DISCONNECT for Paho to connect. */
    private final class MqttBackend {
        final int node;
        final String host;
        final int port;
        final List<byte[]> connects = new CopyOnWriteArrayList<>();
        final List<Long> times = new CopyOnWriteArrayList<>();
        final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile int accepted;

        MqttBackend(int node, String host, int port) throws Exception {
            this.node = node;
            this.host = host;
            this.port = port;
            NetServer server = vertx.createNetServer().connectHandler(socket -> {
                accepted++;
                Buffer[] pending = {Buffer.buffer()};
                boolean[] connected = {false};
                socket.handler(chunk -> {
                    pending[0].appendBuffer(chunk);
                    while (true) {
                        byte[] bytes = pending[0].getBytes();
                        int[] header = fixedHeader(bytes);
                        if (header == null || bytes.length < header[0] + header[1]) {
                            return;
                        }
                        byte[] packet = Arrays.copyOf(bytes, header[0] + header[1]);
                        pending[0] = Buffer.buffer(Arrays.copyOfRange(bytes, packet.length, bytes.length));
                        int type = (packet[0] & 0xf0) >> 4;
                        if (type == 1 && !connected[0]) {
                            connected[0] = true;
                            connects.add(packet);
                            times.add(System.nanoTime());
                            String key = new String(packet, StandardCharsets.ISO_8859_1);
                            boolean present = !seen.add(key.substring(key.length() - Math.min(key.length(), 40)));
                            int level = packet[header[0] + 2 + ((packet[header[0]] << 8) | packet[header[0] + 1])];
                            socket.write(Buffer.buffer(level == 5
                                    ? new byte[]{0x20, 0x03, (byte) (present ? 1 : 0), 0x00, 0x00}
                                    : new byte[]{0x20, 0x02, (byte) (present ? 1 : 0), 0x00}));
                        } else if (type == 12) {
                            socket.write(Buffer.buffer(new byte[]{(byte) 0xd0, 0x00}));
                        } else if (type == 14) {
                            socket.close();
                            return;
                        }
                    }
                });
            });
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            open.add(() -> server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }

        /** {header length, remaining length}, or null while incomplete. */
        private int[] fixedHeader(byte[] bytes) {
            int value = 0;
            for (int i = 1; i < Math.min(bytes.length, 5); i++) {
                value |= (bytes[i] & 0x7f) << (7 * (i - 1));
                if ((bytes[i] & 0x80) == 0) {
                    return new int[]{i + 1, value};
                }
            }
            return null;
        }
    }
}
