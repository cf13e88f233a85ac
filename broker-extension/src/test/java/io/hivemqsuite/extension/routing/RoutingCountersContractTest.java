package io.hivemqsuite.extension.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing counters are one contract with two sides: the router writes them ({@link Router#statsJson}) and the
 * node agent reads them with control-protocol's {@link RoutingCounters#read}. The JSON the real router writes is
 * read by the real reader; a field removed, renamed or added on either side fails the read, naming the field.
 */
class RoutingCountersContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Router router;

    @BeforeEach
    void routerWithTwoPeers() throws Exception {
        ExtensionSettings settings = new ExtensionSettings("contract", "0".repeat(64), false,
                new ExtensionSettings.Routing(true, 0, true, 50, 1_000_000));
        Path extension = dir.resolve("extension");
        java.nio.file.Files.createDirectories(extension);
        // Peers on a loopback port nothing listens on: the links exist and stay down.
        new PeerTable(Map.of(0, "127.0.0.1:1", 1, "127.0.0.2:1", 2, "127.0.0.3:1")).write(extension);
        router = new Router(settings, extension, dir.resolve("data"), "secret");
        // The router's own peer loading, as start() runs it; start() itself needs a running broker.
        router.reloadPeers();
    }

    @AfterEach
    void stopRouter() {
        router.stop();
    }

    @Test
    void theReaderReadsWhatTheRouterWrites() {
        RoutingCounters counters = RoutingCounters.read(router.statsJson().getBytes(StandardCharsets.UTF_8));
        assertEquals(0, counters.node());
        assertTrue(counters.digest());
        assertEquals(0, counters.received());
        assertEquals(0, counters.journalOwed(), "a journal is open and owes nothing");
        assertEquals(java.util.Set.of("1", "2"), counters.peers().keySet(), "every peer but this node");
        RoutingCounters.Peer peer = counters.peers().get("1");
        assertFalse(peer.connected());
        assertEquals(-1, peer.digestFilters(), "no digest known yet");
        assertEquals(0, peer.queued());
        assertEquals(0, counters.dropped());
    }

    @Test
    void everyFieldTheRouterWritesIsOneTheReaderNeeds() throws Exception {
        ObjectNode written = (ObjectNode) JSON.readTree(router.statsJson());
        for (String path : fieldPaths(written)) {
            ObjectNode without = written.deepCopy();
            remove(without, path);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> RoutingCounters.read(JSON.writeValueAsBytes(without)), "without " + path);
            assertTrue(refused.getMessage().contains(last(path)), "the refusal names " + path + ": "
                    + refused.getMessage());
        }
    }

    @Test
    void aFieldTheReaderDoesNotKnowIsRefused() throws Exception {
        ObjectNode written = (ObjectNode) JSON.readTree(router.statsJson());
        ObjectNode top = written.deepCopy();
        top.put("newCounter", 1);
        ObjectNode inPeer = written.deepCopy();
        ((ObjectNode) inPeer.get("peers").get("1")).put("newPeerCounter", 1);
        for (ObjectNode json : List.of(top, inPeer)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> RoutingCounters.read(JSON.writeValueAsBytes(json)));
            assertTrue(refused.getMessage().contains("newCounter") || refused.getMessage().contains("newPeerCounter"),
                    refused.getMessage());
        }
    }

    @Test
    void wrongTypesAndNullsAreRefused() throws Exception {
        ObjectNode written = (ObjectNode) JSON.readTree(router.statsJson());
        ObjectNode text = written.deepCopy();
        text.put("received", "many");
        ObjectNode nothing = written.deepCopy();
        nothing.putNull("journalOwed");
        for (ObjectNode json : List.of(text, nothing)) {
            assertThrows(IllegalArgumentException.class, () -> RoutingCounters.read(JSON.writeValueAsBytes(json)),
                    json.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> RoutingCounters.read("null".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> RoutingCounters.read(new byte[0]));
    }

    /** Every top-level field and every field of a peer (through peer "1"), as dotted paths. */
    private static List<String> fieldPaths(JsonNode written) {
        List<String> paths = new ArrayList<>();
        written.fieldNames().forEachRemaining(paths::add);
        written.get("peers").get("1").fieldNames().forEachRemaining(name -> paths.add("peers.1." + name));
        return paths;
    }

    private static void remove(ObjectNode root, String path) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.remove(parts[parts.length - 1]);
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
