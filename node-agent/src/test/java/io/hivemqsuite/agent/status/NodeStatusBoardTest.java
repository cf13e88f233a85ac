package io.hivemqsuite.agent.status;

import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.routing.RoutingCounters;
import io.hivemqsuite.protocol.routing.RoutingCounters.Peer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeStatusBoardTest {

    private static RoutingCounters counters(long droppedForNode2, long sent) {
        return new RoutingCounters(0, true, 1, 0, 0, 0, 0, 0, 0, 0, Map.of(
                "1", new Peer(true, 1, sent, sent, 0, 0, 0, 0, 0),
                "2", new Peer(false, 1, sent + droppedForNode2, 0, 10, 420, droppedForNode2, 0, 0)));
    }

    @Test
    void anOverflowIsSaidInTheNodesStatusAndPublishedOnlyWhenTheSentenceChanges() {
        NodeStatusBoard board = new NodeStatusBoard(0, "127.0.1.1");
        List<NodeStatus> published = new ArrayList<>();
        board.watch(published::add);
        board.controlConnected(true);
        board.broker(BrokerPhase.RUNNING, 42, 1, "running");
        int before = published.size();

        board.routing(counters(0, 5));
        board.routing(counters(0, 6));
        assertEquals(before, published.size(), "counter ticks alone do not republish the status");
        assertEquals(6, board.current().routing().peers().get("1").sent(), "but the status read now has them");
        assertFalse(board.current().message().contains("dropped"));

        board.routing(counters(30, 6));
        assertEquals(before + 1, published.size());
        NodeStatus overflowing = published.get(published.size() - 1);
        assertTrue(overflowing.healthy(), "the node itself still serves");
        assertTrue(overflowing.message().contains("routing dropped messages because a peer queue was full: 30 for hivemq-2"),
                overflowing.message());
        assertEquals(30, overflowing.routing().dropped());
    }
}
