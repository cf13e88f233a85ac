package io.hivemqsuite.scheduler.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.routing.PeerTable;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Asks a leaving node's agent to hand its persistent sessions over to the remaining nodes
 * ({@code POST <agent>/v1/node/handover}), and a restarting node's agent to move its connected clients away first
 * ({@code POST <agent>/v1/node/handover/move}); bearer = internal credential.
 */
final class HandoverClient {
    private final InternalHttp http = new InternalHttp(Duration.ofSeconds(2));
    private final String credential;

    HandoverClient(String credential) {
        this.credential = credential;
    }

    /** The agent's answer: {@code sessions}, {@code subscriptions}, {@code failed}; throws with why not. */
    JsonNode handOver(String agentUrl, PeerTable remaining) {
        String body = ControlJson.mapper().createObjectNode()
                .set("nodes", ControlJson.mapper().valueToTree(remaining.byKey())).toString();
        return post(agentUrl, "/v1/node/handover", body);
    }

    /** The agent's answer: {@code moved}, {@code stillHere}; throws with why not. */
    JsonNode moveClients(String agentUrl) {
        return post(agentUrl, "/v1/node/handover/move", "{}");
    }

    private JsonNode post(String agentUrl, String path, String body) {
        try {
            InternalHttp.Response response = http.send("POST", agentUrl + path,
                    Map.of("Authorization", "Bearer " + credential, "Content-Type", "application/json"), body,
                    Duration.ofSeconds(60));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("agent answered " + response.statusCode() + ": " + response.body());
            }
            return ControlJson.read(response.body(), JsonNode.class);
        } catch (IOException e) {
            throw new IllegalStateException("agent not reachable at " + agentUrl + ": " + e.getMessage(), e);
        }
    }
}
