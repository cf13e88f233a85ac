package io.hivemqsuite.agent.home;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigCheck;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigSchema;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DC/OS package's options as config.xml: what Community Edition can do is rendered and validates against the
 * config.xsd of the broker we run; {@code advanced.configuration_override} is a real Mustache template.
 */
class PackageOptionsConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDistribution DIST = LocalDistribution.fromEnvironment();
    private static BrokerConfigSchema schema;
    private final OptionsReader reader = new OptionsReader();

    @BeforeAll
    static void loadSchema() {
        schema = BrokerConfigSchema.fromBrokerLib(DIST.brokerLibDir());
    }

    private static String packageDefaults() throws IOException {
        return Files.readString(DIST.root().resolve("control-protocol/src/test/resources/options/dcos-package-defaults.json"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePackagesDefaultTreeRendersAValidConfigAndItsTemplateMeansNoOverride() throws IOException {
        ServiceOptions options = reader.read(packageDefaults());
        String xml = BrokerConfigRenderer.renderConfig(options, "127.0.66.9").xml();
        schema.validate(xml);
        // the package's template (Enterprise elements, "--1" connections) is not used: the rendered config is
        assertTrue(xml.contains("<max-connections>-1</max-connections>"), xml);
        assertFalse(xml.contains("control-center"), xml);
        // its "never" (4294967296) is the CE broker's largest session expiry
        assertTrue(xml.contains("<max-interval>4294967295</max-interval>"), xml);
        BrokerConfigCheck.check(options, DIST);
    }

    @Test
    void restrictionsLimitsAndSecurityReachTheBroker() {
        ServiceOptions options = reader.read("""
                {"hivemq": {"restrictions": {"max_client_id_length": 10, "max_topic_length": 300,
                  "max_connections": 50, "incoming_bandwidth_throttling": 1000, "no_connect_idle_timeout": 5000},
                  "listener_configuration": {"websocket_enabled": true, "websocket_path": "/ws"}},
                 "mqtt": {"limits": {"max_qos": 1, "retained_messages_enabled": false, "queued_message_strategy":
                  "discard_oldest", "session_expiry_interval": 600, "keepalive_max": 120, "max_packet_size": 2048,
                  "server_receive_maximum": 20, "topic_alias_enabled": false, "topic_alias_max_per_client": 7,
                  "subscription_identifier_enabled": false, "wildcard_subscription_enabled": false,
                  "shared_subscription_enabled": false, "keepalive_allow_unlimited": false,
                  "queued_message_max_queue_size": 12},
                  "security": {"allow_empty_client_id": false, "payload_format_validation": true,
                  "topic_format_validation": false, "allow_request_problem_information": false}}}""");
        String xml = BrokerConfigRenderer.renderConfig(options, "127.0.66.9").xml();
        schema.validate(xml);
        // client id length and retained messages are the extension's (ClientLimits): the suite's clients need room
        for (String expected : new String[]{"<max-client-id-length>65535</max-client-id-length>",
                "<max-topic-length>300</max-topic-length>", "<max-connections>50</max-connections>",
                "<incoming-bandwidth-throttling>1000</incoming-bandwidth-throttling>",
                "<no-connect-idle-timeout>5000</no-connect-idle-timeout>", "<max-qos>1</max-qos>",
                "<retained-messages>\n            <enabled>true</enabled>", "<strategy>discard-oldest</strategy>",
                "<max-interval>600</max-interval>", "<max-keep-alive>120</max-keep-alive>",
                "<allow-unlimited>false</allow-unlimited>", "<max-packet-size>2048</max-packet-size>",
                "<server-receive-maximum>20</server-receive-maximum>", "<max-per-client>7</max-per-client>",
                "<max-queue-size>12</max-queue-size>", "<path>/ws</path>",
                "<allow-empty-client-id>\n            <enabled>false</enabled>",
                "<payload-format-validation>\n            <enabled>true</enabled>",
                "<utf8-validation>\n            <enabled>false</enabled>"}) {
            assertTrue(xml.contains(expected), expected + " missing in\n" + xml);
        }
    }

    @Test
    void anOverrideIsRenderedWithThePackagesPlaceholders() {
        String template = """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>${HIVEMQ_MQTT_PORT}</port>
                            <bind-address>0.0.0.0</bind-address>
                        </tcp-listener>
                        {{#HIVEMQ_WEBSOCKET_ENABLED}}
                        <websocket-listener>
                            <port>${HIVEMQ_WEBSOCKET_PORT}</port>
                            <bind-address>0.0.0.0</bind-address>
                            <path>${HIVEMQ_WEBSOCKET_PATH}</path>
                        </websocket-listener>
                        {{/HIVEMQ_WEBSOCKET_ENABLED}}
                    </listeners>
                    <restrictions>
                        <max-client-id-length>${HIVEMQ_MAX_CLIENT_ID_LENGTH}</max-client-id-length>
                    </restrictions>
                    <mqtt><quality-of-service><max-qos>${HIVEMQ_MAX_QOS}</max-qos></quality-of-service></mqtt>
                </hivemq>
                """;
        ServiceOptions options = reader.read("{\"hivemq\": {\"restrictions\": {\"max_client_id_length\": 23}},"
                + " \"mqtt\": {\"limits\": {\"max_qos\": 1}}, \"advanced\": {\"configuration_override\": \""
                + base64(template) + "\"}}");
        String xml = BrokerConfigRenderer.renderConfig(options, "127.0.66.9").xml();
        schema.validate(xml);
        assertTrue(xml.contains("<port>1883</port>") && xml.contains("<max-client-id-length>65535<")
                && xml.contains("<max-qos>1</max-qos>"), xml);
        assertFalse(xml.contains("websocket-listener"), "a false section is left out: " + xml);
        // every node of local mode shares the machine: 0.0.0.0 becomes the node's own address
        assertTrue(xml.contains("<bind-address>127.0.66.9</bind-address>") && !xml.contains("0.0.0.0"), xml);
        BrokerConfigCheck.check(options, DIST);
    }

    @Test
    void anOverrideThatBreaksTheXsdIsRefusedWithTheXsdsMessage() throws IOException {
        // the package's own template, changed by one character, is used as given: its Enterprise elements and
        // "-${HIVEMQ_MAX_CONNECTIONS}" do not validate against the Community Edition's config.xsd
        ObjectNode tree = (ObjectNode) JSON.readTree(packageDefaults());
        String packageTemplate = new String(Base64.getDecoder().decode(
                tree.path("advanced").path("configuration_override").asText()), StandardCharsets.UTF_8);
        ((ObjectNode) tree.path("advanced")).put("configuration_override", base64(packageTemplate + "\n"));
        ServiceOptions options = reader.read(tree);
        OptionsException e = assertThrows(OptionsException.class, () -> BrokerConfigCheck.check(options, DIST));
        assertEquals("advanced.configuration_override", e.field());
        assertTrue(e.getMessage().contains("config.xsd") && e.getMessage().contains("line"), e.getMessage());

        ServiceOptions unknownPlaceholder = reader.read("{\"advanced\": {\"configuration_override\": \""
                + base64("<hivemq><listeners><tcp-listener><port>${HIVEMQ_NO_SUCH_PORT}</port></tcp-listener>"
                + "</listeners></hivemq>") + "\"}}");
        OptionsException unknown = assertThrows(OptionsException.class,
                () -> BrokerConfigCheck.check(unknownPlaceholder, DIST));
        assertEquals("advanced.configuration_override", unknown.field());
        assertTrue(unknown.getMessage().contains("${HIVEMQ_NO_SUCH_PORT}"), unknown.getMessage());
    }

    @Test
    void theLicenseIsWrittenIntoTheLicenseFolderAndRemovedWithTheOption(@TempDir Path dir) throws IOException {
        BrokerHome home = new BrokerHome(dir.resolve("hivemq")).create();
        home.installLicense(base64("license-bytes"));
        Path file = home.license().resolve(BrokerHome.LICENSE_FILE);
        assertEquals("license-bytes", Files.readString(file));
        home.installLicense("");
        assertFalse(Files.exists(file));
    }
}
