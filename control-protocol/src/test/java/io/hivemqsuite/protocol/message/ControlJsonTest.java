package io.hivemqsuite.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An HTTP answer read as text and a bus payload read as bytes give the same message and the same refusal. */
class ControlJsonTest {

    @Test
    void textAndBytesReadTheSame() {
        String json = "{\"node\":\"hivemq-0\",\"port\":1883}";
        assertEquals(ControlJson.read(json.getBytes(StandardCharsets.UTF_8), JsonNode.class),
                ControlJson.read(json, JsonNode.class));
    }

    @Test
    void unreadableTextIsRefusedNamingTheTypeAndQuotingTheInput() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ControlJson.read("{\"state\": ", NodeStatus.class));
        assertTrue(refused.getMessage().startsWith("not a valid NodeStatus: "), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("in '{\"state\": '"), refused.getMessage());
        IllegalArgumentException fromBytes = assertThrows(IllegalArgumentException.class,
                () -> ControlJson.read("{\"state\": ".getBytes(StandardCharsets.UTF_8), NodeStatus.class));
        assertEquals(fromBytes.getMessage(), refused.getMessage());
    }
}
