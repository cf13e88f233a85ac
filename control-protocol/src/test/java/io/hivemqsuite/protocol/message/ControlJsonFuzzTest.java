package io.hivemqsuite.protocol.message;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemqsuite.protocol.routing.RoutingCounters;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Control messages arrive from the bus: whatever the bytes, {@link ControlJson#read} gives a message or refuses
 * with {@link IllegalArgumentException} (any other exception would escape a control client's callback), and a
 * message it gives survives a write/read round trip unchanged.
 */
class ControlJsonFuzzTest {

    @FuzzTest
    void controlMessagesDecodeOrAreRefused(byte[] payload) {
        roundTrip(payload, NodeCommand.class);
        roundTrip(payload, CommandResult.class);
        roundTrip(payload, NodeStatus.class);
        try {
            RoutingCounters counters = RoutingCounters.read(payload);
            assertEquals(counters, RoutingCounters.read(ControlJson.write(counters)));
        } catch (IllegalArgumentException refused) {
            // refused with a reason: what the router's reader must do with bytes it cannot read
        }
    }

    private static <T> void roundTrip(byte[] payload, Class<T> type) {
        T message;
        try {
            message = ControlJson.read(payload, type);
        } catch (IllegalArgumentException refused) {
            return;
        }
        if (message != null) {
            assertEquals(message, ControlJson.read(ControlJson.write(message), type), "round trip of " + type);
        }
    }
}
