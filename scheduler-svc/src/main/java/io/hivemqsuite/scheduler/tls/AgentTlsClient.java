package io.hivemqsuite.scheduler.tls;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.protocol.message.ControlJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Hands a renewed certificate to a running agent: {@code POST <agent>/v1/node/tls} (bearer = internal credential).
 * The agent replaces the broker's keystore file in place; HiveMQ notices the change and serves the new certificate
 * without a restart.
 */
public final class AgentTlsClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String credential;

    public AgentTlsClient(String credential) {
        this.credential = credential;
    }

    /** @return null when the agent took it, else why not */
    public String push(String agentUrl, IssuedCertificate certificate) {
        ObjectNode body = ControlJson.mapper().createObjectNode()
                .put("certificate", certificate.certificateChainPem())
                .put("privateKey", certificate.privateKeyPem())
                .put("ca", certificate.caPem());
        HttpRequest request = HttpRequest.newBuilder(URI.create(agentUrl + "/v1/node/tls"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? null : "agent answered " + response.statusCode() + ": "
                    + response.body();
        } catch (IOException e) {
            return "agent not reachable at " + agentUrl + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
