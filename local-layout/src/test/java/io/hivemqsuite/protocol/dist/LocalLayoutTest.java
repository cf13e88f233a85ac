package io.hivemqsuite.protocol.dist;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalLayoutTest {
    private final Path home = Path.of("/tmp/suite-home");

    @Test
    void nodesInNamespacesMoveToTheTestRangeAndTheOtherServicesStayOnLoopback() {
        LocalLayout loopback = new LocalLayout(home, "hivemq", 7);
        LocalLayout namespaces = new LocalLayout(home, "hivemq", 7, true);
        assertEquals("127.0.7.3", loopback.nodeAddress(2));
        assertEquals("198.18.7.3", namespaces.nodeAddress(2));
        assertEquals("127.0.7.202", loopback.sidecarAddress());
        assertEquals("198.18.7.202", namespaces.sidecarAddress(), "on the bridge: the agents call it");
        assertEquals(loopback.schedulerUrl(), namespaces.schedulerUrl());
        assertEquals(loopback.vipAddress(), namespaces.vipAddress());
        assertEquals("198.18.7.254", namespaces.bridgeAddress());
    }

    @Test
    void aNodeFindsItsPeersInItsOwnNetwork() {
        assertEquals("127.0.4.1", LocalLayout.peerAddress("127.0.4.3", 0));
        assertEquals("198.18.4.2", LocalLayout.peerAddress("198.18.4.3", 1));
        assertEquals(4, LocalLayout.slotOf("198.18.4.3"));
        assertThrows(IllegalArgumentException.class, () -> LocalLayout.slotOf("10.0.4.3"));
    }

    @Test
    void networkNamesFitInterfaceNamesAndDifferPerServiceAndHome() {
        NodeNamespaces a = new NodeNamespaces(new LocalLayout(home, "a-rather-long-service-name", 1, true));
        NodeNamespaces b = new NodeNamespaces(new LocalLayout(home, "another", 1, true));
        NodeNamespaces otherHome = new NodeNamespaces(new LocalLayout(Path.of("/tmp/h2"), "another", 1, true));
        assertTrue(a.bridge().length() <= 15 && a.veth(LocalLayout.MAX_NODES - 1).length() <= 15,
                a.bridge() + " " + a.veth(63));
        assertTrue(a.namespace(0).contains("a-rather-long-service-name"), a.namespace(0));
        assertNotEquals(a.bridge(), b.bridge());
        assertNotEquals(b.bridge(), otherHome.bridge());
        assertNotEquals(b.namespace(0), otherHome.namespace(0));
        assertEquals(b.bridge(), new NodeNamespaces(new LocalLayout(home, "another", 9, true)).bridge(),
                "the next install of a service finds what a crashed one left, whatever its slot");
    }
}
