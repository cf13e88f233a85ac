package io.hivemqsuite.agent.tls;

import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer.RenderedConfig;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the enabled TLS listeners ({@code tls-tcp-listener}, {@code tls-websocket-listener}) to a rendered
 * config.xml, all on the node's one JKS keystore. Kept apart from the plain renderer: the keystore must exist
 * first, and the result is validated against config.xsd like every config.
 */
public final class TlsListeners {
    private TlsListeners() {
    }

    /**
     * The config with every enabled listener; unchanged when no TLS listener is enabled.
     *
     * @param nodeDir the node's folder; its {@code tls/} holds the certificate the scheduler provisioned
     */
    public static RenderedConfig complete(RenderedConfig config, ServiceOptions options, String bindAddress,
                                          Path nodeDir) {
        if (config.omitted().stream().noneMatch(l -> l.listener().tls())) {
            return config;
        }
        NodeKeystore keystore = new NodeKeystore(nodeDir);
        keystore.installFromFiles();
        StringBuilder xml = new StringBuilder();
        List<ListenerEndpoint> added = new ArrayList<>();
        for (ListenerEndpoint endpoint : config.omitted()) {
            if (!endpoint.listener().tls()) {
                continue;
            }
            added.add(endpoint);
            String element = endpoint.listener().websocket() ? "tls-websocket-listener" : "tls-tcp-listener";
            BrokerConfigRenderer.openListener(xml, element, endpoint, bindAddress,
                    options.hivemq().listeners().websocketPath());
            xml.append("            <tls>\n");
            xml.append("                <keystore>\n");
            xml.append("                    <path>").append(BrokerConfigRenderer.escape(keystore.keystore().toString()))
                    .append("</path>\n");
            xml.append("                    <password>").append(keystore.password()).append("</password>\n");
            xml.append("                    <private-key-password>").append(keystore.password())
                    .append("</private-key-password>\n");
            xml.append("                </keystore>\n");
            xml.append("                <client-authentication-mode>NONE</client-authentication-mode>\n");
            xml.append("            </tls>\n");
            xml.append("        </").append(element).append(">\n");
        }
        String text = config.xml();
        int end = text.indexOf("    </listeners>");
        if (end < 0) {
            throw new IllegalStateException("the rendered config.xml has no </listeners>");
        }
        String completed = text.substring(0, end) + xml + text.substring(end);
        // Listeners in the spec's order (MQTT first): the agent probes them and the control client uses the first.
        List<ListenerEndpoint> listeners = options.enabledListeners().stream()
                .filter(l -> config.listeners().contains(l) || added.contains(l)).toList();
        List<ListenerEndpoint> stillOmitted = config.omitted().stream().filter(l -> !added.contains(l)).toList();
        return new RenderedConfig(completed, listeners, stillOmitted);
    }
}
