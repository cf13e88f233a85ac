package io.hivemqsuite.extension.routing;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner marker travels inside routed messages ({@code hivemq-suite-shared-owner}); every node reads it to decide
 * whether it delivers to a group. And the origin's choice: one node per spanning group, turns taken per group.
 */
class SharedGroupsTest {
    private final List<PeerLink> links = new ArrayList<>();

    @AfterEach
    void closeLinks() {
        links.forEach(PeerLink::stop);
    }

    static Stream<Arguments> markers() {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        ordered.put("$share/a:b/x", 1);
        ordered.put("$share/7:3:z/#", 12);
        return Stream.of(
                Arguments.of(Map.of(), ""),
                Arguments.of(Map.of("$share/workers/jobs/+", 2), "2:21:$share/workers/jobs/+"),
                Arguments.of(ordered, "1:12:$share/a:b/x12:14:$share/7:3:z/#"),
                Arguments.of(Map.of("$share/g/grüße", 0), "0:14:$share/g/grüße"));
    }

    @ParameterizedTest
    @MethodSource("markers")
    void theMarkerNamesEveryGroupsOwnerUnambiguously(Map<String, Integer> owners, String marker) {
        assertEquals(marker, SharedGroups.encode(owners));
        assertEquals(owners, SharedGroups.decode(marker));
    }

    /** Malformed: every node delivers, as without the marker (a duplicate at most, never a loss). */
    @ParameterizedTest
    @ValueSource(strings = {"x", "1", "1:", "1:5", "1:5:ab", "a:1:b", "1:b:c", "1:-1:", "1:2:ab0", "1:2:ab0:9:c",
            ":1:a", "1::a"})
    void aMalformedMarkerNamesNoOwner(String marker) {
        assertEquals(Map.of(), SharedGroups.decode(marker));
    }

    @Test
    void noSpanningGroupNoChoice() throws Exception {
        SharedGroups groups = new SharedGroups(0, new ClientSubscriptions());
        assertEquals(Map.of(), groups.chooseOwners("jobs/1", Interest.NONE, List.of()));
        assertEquals(Map.of(), groups.chooseOwners("jobs/1", Interest.of(Set.of("$share/w/jobs/+")), List.of()),
                "a group on this node only is left to this broker");
        assertEquals(Map.of(), groups.chooseOwners("jobs/1", Interest.of(Set.of("jobs/+")),
                List.of(link(1, "$share/w/jobs/+"))), "one holder only");
        assertEquals(Map.of(), groups.chooseOwners("other", Interest.of(Set.of("$share/w/jobs/+")),
                List.of(link(1, "$share/w/jobs/+"))), "the topic matches no group");
    }

    @Test
    void holdersTakeTurnsPerGroup() throws Exception {
        SharedGroups groups = new SharedGroups(0, new ClientSubscriptions());
        PeerLink one = up(link(1, "$share/w/jobs/+", "$share/v/jobs/#"));
        PeerLink two = up(link(2, "$share/w/jobs/+"));
        Interest local = Interest.of(Set.of("$share/w/jobs/+"));
        List<Integer> w = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Integer> owners = groups.chooseOwners("jobs/" + i, local, List.of(one, two));
            assertFalse(owners.containsKey("$share/v/jobs/#"), "v lives on node 1 only");
            w.add(owners.get("$share/w/jobs/+"));
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2), w);
    }

    @Test
    void aNodeWhoseLinkIsDownIsNotChosenWhileAnotherHolderIsReachable() throws Exception {
        SharedGroups groups = new SharedGroups(0, new ClientSubscriptions());
        PeerLink away = link(1, "$share/w/jobs/+");
        PeerLink there = up(link(2, "$share/w/jobs/+"));
        Interest local = Interest.of(Set.of("$share/w/jobs/+"));
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(groups.chooseOwners("jobs/x", local, List.of(away, there)).get("$share/w/jobs/+"));
        }
        assertEquals(List.of(0, 2, 0, 2), chosen);
        assertEquals(Map.of("$share/w/jobs/+", 0), groups.chooseOwners("jobs/x", local, List.of(away)),
                "this node is reachable");
    }

    @Test
    void whenEveryHolderIsAwayTheyStillTakeTurns() throws Exception {
        SharedGroups groups = new SharedGroups(0, new ClientSubscriptions());
        List<PeerLink> away = List.of(link(2, "$share/w/a"), link(1, "$share/w/a"));
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(groups.chooseOwners("a", Interest.NONE, away).get("$share/w/a"));
        }
        assertEquals(List.of(1, 2, 1, 2), chosen);
    }

    @Test
    void aClientGetsTheMessageUnlessEveryMatchingSubscriptionIsAGroupDeliveredElsewhere() {
        ClientSubscriptions clients = new ClientSubscriptions();
        clients.subscribed("member", List.of("$share/w/jobs/+"));
        clients.subscribed("both", List.of("$share/w/jobs/+", "jobs/#"));
        clients.subscribed("two-groups", List.of("$share/w/jobs/+", "$share/v/jobs/#"));
        clients.subscribed("plain", List.of("jobs/+"));
        SharedGroups node0 = new SharedGroups(0, clients);
        Map<String, Integer> elsewhere = Map.of("$share/w/jobs/+", 1);
        assertFalse(node0.deliversHere("member", "jobs/1", elsewhere));
        assertTrue(node0.deliversHere("member", "jobs/1", Map.of("$share/w/jobs/+", 0)));
        assertTrue(node0.deliversHere("member", "jobs/1", Map.of()), "a group named nowhere is delivered locally");
        assertTrue(node0.deliversHere("both", "jobs/1", elsewhere), "its plain subscription still wants it");
        assertTrue(node0.deliversHere("two-groups", "jobs/1", elsewhere), "group v is not owned elsewhere");
        assertFalse(node0.deliversHere("two-groups", "jobs/1",
                new TreeMap<>(Map.of("$share/w/jobs/+", 1, "$share/v/jobs/#", 2))));
        assertTrue(node0.deliversHere("plain", "jobs/1", elsewhere));
        assertTrue(node0.deliversHere("stranger", "jobs/1", elsewhere), "no known subscription: not judged here");
    }

    /** A real link object that has received the peer's digest and was never connected (so it is down). */
    private PeerLink link(int peer, String... filters) throws Exception {
        String digestTopic = "hivemq-suite/test/nodes/" + peer + "/subscriptions";
        PeerLink link = new PeerLink(0, peer, "127.0.0.1:1", "test", "hivemq-suite/test/route/0/", digestTopic, "s",
                new PeerQueue(peer, 10, 10_000, seq -> { }), p -> { });
        link.messageArrived(digestTopic, new MqttMessage(SubscriptionDigest.encode(1, new java.util.TreeSet<>(
                List.of(filters)))));
        links.add(link);
        return link;
    }

    /** Marks the link up as its sender thread does after a connect: the test has no peer broker to connect to. */
    private static PeerLink up(PeerLink link) throws Exception {
        java.lang.reflect.Field up = PeerLink.class.getDeclaredField("up");
        up.setAccessible(true);
        up.setBoolean(link, true);
        return link;
    }
}
