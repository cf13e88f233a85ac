package io.hivemqsuite.scheduler.tls;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.protocol.http.InternalHttp;
import io.hivemqsuite.protocol.message.ControlJson;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Hands what a running broker takes without a restart to its agent (bearer = internal credential): a renewed
 * certificate, {@code POST <agent>/v1/node/tls} (the agent replaces the keystore file in place; HiveMQ notices the
 * change and serves the new certificate), and new users and roles, {@code PUT <agent>/v1/node/rbac} (the broker
 * extension re-reads its credentials file every second).
 */
public final class AgentTlsClient {
    private final InternalHttp http = new InternalHttp(Duration.ofSeconds(2));
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
        return send(agentUrl, "POST", "/v1/node/tls", body);
    }

    /**
     * @param rbacConfig          {@code mqtt.auth.rbac_config} as in the options (base64)
     * @param rbacExtensionConfig {@code mqtt.auth.rbac_extension_config} as in the options (base64; may be empty)
     * @return null when the agent took them, else why not
     */
    public String pushUsers(String agentUrl, String rbacConfig, String rbacExtensionConfig) {
        ObjectNode body = ControlJson.mapper().createObjectNode()
                .put("rbac_config", rbacConfig)
                .put("rbac_extension_config", rbacExtensionConfig);
        return send(agentUrl, "PUT", "/v1/node/rbac", body);
    }

    private String send(String agentUrl, String method, String path, ObjectNode body) {
        try {
            InternalHttp.Response response = http.send(method, agentUrl + path,
                    Map.of("Authorization", "Bearer " + credential, "Content-Type", "application/json"),
                    body.toString(), Duration.ofSeconds(10));
            return response.statusCode() == 200 ? null : "agent answered " + response.statusCode() + ": "
                    + response.body();
        } catch (IOException e) {
            return "agent not reachable at " + agentUrl + ": " + e.getMessage();
        }
    }
}
