package io.hivemqsuite.protocol.options;

import io.hivemqsuite.protocol.node.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's options file from the DC/OS package (universe {@code hivemq/1}) is the contract: its full default tree is
 * under test resources, every key with the package's default value.
 */
class DcosPackageOptionsTest {
    private final OptionsReader reader = new OptionsReader();

    static String packageDefaults() throws IOException {
        try (InputStream in = DcosPackageOptionsTest.class.getResourceAsStream("/options/dcos-package-defaults.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void thePackagesFullDefaultTreeIsAccepted() throws IOException {
        ServiceOptions options = reader.read(packageDefaults());
        assertEquals(3, options.node().count());
        assertEquals(4096, options.node().mem());
        assertEquals(-1, options.hivemq().restrictions().maxConnections());
        assertEquals(4294967296L, options.mqtt().limits().sessionExpiryInterval());
        assertEquals("discard", options.mqtt().limits().queuedMessageStrategy());
        assertTrue(options.hivemq().controlCenterEnabled());
        assertFalse(options.mqtt().auth().enableRbac());
        assertFalse(options.mqtt().auth().rbacConfig().isEmpty());
        // the package's port 0 means "the service picks": the standard port, each node having its own address
        assertEquals(List.of(Listener.MQTT), options.enabledListeners().stream().map(l -> l.listener()).toList());
        assertEquals(1883, options.enabledListeners().get(0).port());
        // the completed spec reads back to the same options (it is what spec.json and the scheduler store)
        assertEquals(options, reader.read(OptionsReader.toJson(options)));
    }

    @Test
    void theEnterpriseOnlyOptionsOfAPackageFileAreReported() throws IOException {
        List<OptionNotes.Note> notes = OptionNotes.given(OptionsReader.tree(packageDefaults()));
        List<String> enterprise = notes.stream().filter(OptionNotes.Note::enterprise).map(OptionNotes.Note::field)
                .toList();
        assertTrue(enterprise.containsAll(List.of("hivemq.cluster_replica_count", "hivemq.cluster_overload_protection",
                "hivemq.control_center_enabled", "hivemq.control_center_user", "hivemq.control_center_password",
                "hivemq.cluster_tls_enabled", "hivemq.native_tls_enabled")), enterprise.toString());
        assertTrue(notes.get(0).toString().contains("no effect"), notes.get(0).toString());
        // a file that sets none of them gets no notes
        assertEquals(List.of(), OptionNotes.given(OptionsReader.tree("{\"node\": {\"count\": 2}}")));
    }

    @Test
    void theGuidesNestingMistakeSaysWhereTheKeyBelongs() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read("""
                {"service": {"name": "hivemq", "hivemq": {"listener_configuration": {"mqtt_tls_enabled": true}}}}
                """));
        assertEquals("service.hivemq", e.field());
        assertTrue(e.getMessage().contains("`service.hivemq` is not an option; did you mean "
                + "`hivemq.listener_configuration…`?"), e.getMessage());
    }

    @Test
    void aMisspelledKeyListsWhatIsAllowed() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> reader.read("{\"mqtt\": {\"limits\": {\"max_qso\": 1}}}"));
        assertEquals("mqtt.limits.max_qso", e.field());
        assertTrue(e.getMessage().contains("unknown field (allowed: session_expiry_interval"), e.getMessage());
    }

    /** Every bad type and range names its field, with why. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"hivemq\":{\"restrictions\":{\"max_client_id_length\":0}}}|hivemq.restrictions.max_client_id_length|at least 1",
            "{\"hivemq\":{\"restrictions\":{\"max_topic_length\":70000}}}|hivemq.restrictions.max_topic_length|at most 65535",
            "{\"hivemq\":{\"restrictions\":{\"max_topic_length\":100}}}|hivemq.restrictions.max_topic_length|control topics",
            "{\"hivemq\":{\"restrictions\":{\"max_connections\":-2}}}|hivemq.restrictions.max_connections|at least -1",
            "{\"hivemq\":{\"restrictions\":{\"incoming_bandwidth_throttling\":\"fast\"}}}|hivemq.restrictions.incoming_bandwidth_throttling|must be an integer",
            "{\"hivemq\":{\"restrictions\":{\"no_connect_idle_timeout\":0}}}|hivemq.restrictions.no_connect_idle_timeout|at least 1",
            "{\"mqtt\":{\"limits\":{\"max_qos\":3}}}|mqtt.limits.max_qos|at most 2",
            "{\"mqtt\":{\"limits\":{\"session_expiry_interval\":4294967297}}}|mqtt.limits.session_expiry_interval|at most 4294967296",
            "{\"mqtt\":{\"limits\":{\"max_packet_size\":268435461}}}|mqtt.limits.max_packet_size|at most 268435460",
            "{\"mqtt\":{\"limits\":{\"server_receive_maximum\":0}}}|mqtt.limits.server_receive_maximum|at least 1",
            "{\"mqtt\":{\"limits\":{\"keepalive_max\":65536}}}|mqtt.limits.keepalive_max|at most 65535",
            "{\"mqtt\":{\"limits\":{\"topic_alias_max_per_client\":0}}}|mqtt.limits.topic_alias_max_per_client|at least 1",
            "{\"mqtt\":{\"limits\":{\"retained_messages_enabled\":\"no\"}}}|mqtt.limits.retained_messages_enabled|must be a boolean",
            "{\"mqtt\":{\"limits\":{\"queued_message_strategy\":\"drop\"}}}|mqtt.limits.queued_message_strategy|not one of",
            "{\"mqtt\":{\"limits\":{\"queued_message_max_queue_size\":-1}}}|mqtt.limits.queued_message_max_queue_size|at least 0",
            "{\"mqtt\":{\"security\":{\"allow_empty_client_id\":1}}}|mqtt.security.allow_empty_client_id|must be a boolean",
            "{\"mqtt\":{\"auth\":{\"enable_rbac\":\"true\"}}}|mqtt.auth.enable_rbac|must be a boolean",
            "{\"mqtt\":{\"auth\":{\"rbac_config\":42}}}|mqtt.auth.rbac_config|must be a string",
            "{\"hivemq\":{\"cluster_replica_count\":0}}|hivemq.cluster_replica_count|at least 1",
            "{\"hivemq\":{\"listener_configuration\":{\"websocket_path\":\"mqtt\"}}}|hivemq.listener_configuration.websocket_path|does not match",
            "{\"hivemq\":{\"listener_configuration\":{\"mqtt_tls_port_vip\":0}}}|hivemq.listener_configuration.mqtt_tls_port_vip|at least 1",
            "{\"node\":{\"disk_type\":\"NFS\"}}|node.disk_type|not one of",
            "{\"node\":{\"rlimits\":{\"rlimit_nofile\":{\"soft\":1024}}}}|node.rlimits.rlimit_nofile.soft|at least 128000",
            "{\"node\":{\"placement_constraint\":\"hostname:UNIQUE\"}}|node.placement_constraint|is not JSON",
            "{\"node\":{\"placement_constraint\":\"[[\\\"zone\\\",\\\"SPREAD\\\"]]\"}}|node.placement_constraint|unknown operator \"SPREAD\"",
            "{\"node\":{\"placement_constraint\":\"[[\\\"zone\\\",\\\"MAX_PER\\\"]]\"}}|node.placement_constraint|MAX_PER needs a number",
            "{\"service\":{\"log_level\":\"VERBOSE\"}}|service.log_level|not one of",
            "{\"service\":{\"sleep\":\"long\"}}|service.sleep|must be a number",
    })
    void aBadValueNamesItsField(String json, String field, String reason) {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hivemq|license",
            "mqtt.auth|rbac_config",
            "mqtt.auth|rbac_extension_config",
            "advanced|configuration_override",
    })
    void malformedBase64NamesItsField(String parent, String key) {
        String json = nest(parent, "\"" + key + "\": \"PD94bWw*gdmVy\"");
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read(json));
        assertEquals(parent + "." + key, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("not valid base64"), e.getMessage());
    }

    @Test
    void anOverrideThatIsNoMustacheTemplateIsRefused() {
        String template = Base64.getEncoder().encodeToString("<hivemq>{{#HIVEMQ_TLS_LISTENER_ENABLED}}</hivemq>"
                .getBytes(StandardCharsets.UTF_8));
        OptionsException e = assertThrows(OptionsException.class,
                () -> reader.read("{\"advanced\": {\"configuration_override\": \"" + template + "\"}}"));
        assertEquals("advanced.configuration_override", e.field());
        assertTrue(e.getMessage().contains("not a valid Mustache template"), e.getMessage());
    }

    @Test
    void javaOptionsThatTakeTheBrokerFromTheAgentAreRefused() {
        OptionsException heap = assertThrows(OptionsException.class, () -> reader.read(
                "{\"node\": {\"mem\": 2048}, \"hivemq\": {\"java_options\": \"-XX:+UseNUMA -Xmx4g\"}}"));
        assertEquals("hivemq.java_options", heap.field());
        assertTrue(heap.getMessage().contains("'-Xmx4g'") && heap.getMessage().contains("node.mem (2048 MB)"),
                heap.getMessage());
        OptionsException home = assertThrows(OptionsException.class, () -> reader.read(
                "{\"hivemq\": {\"java_options\": \"-Dhivemq.home=/tmp/elsewhere\"}}"));
        assertEquals("hivemq.java_options", home.field());
        assertTrue(home.getMessage().contains("-Dhivemq.home"), home.getMessage());
        assertThrows(OptionsException.class, () -> reader.read("{\"hivemq\": {\"java_options\": \"-version\"}}"));
        // the package's own default options are fine
        reader.read("{\"hivemq\": {\"java_options\": \"-XX:+UnlockExperimentalVMOptions -XX:+UseContainerSupport "
                + "-XX:InitialRAMPercentage=60 -XX:MaxRAMPercentage=70 -XX:MinRAMPercentage=40 -XX:+UseNUMA\"}}");
    }

    @Test
    void vipSwitchesAndPortsAreTheListenersOwn() {
        ServiceOptions options = reader.read("""
                {"hivemq": {"listener_configuration": {"websocket_enabled": true, "websocket_port_vip_enabled": false,
                 "mqtt_tls_enabled": true, "mqtt_tls_port_vip": 9883}}}""");
        assertEquals(List.of(Listener.MQTT, Listener.MQTT_TLS),
                options.vipListeners().stream().map(ServiceOptions.ListenerEndpoint::listener).toList());
        assertEquals(9883, options.vipListeners().get(1).vipPort());
        OptionsException clash = assertThrows(OptionsException.class, () -> reader.read("""
                {"hivemq": {"listener_configuration": {"mqtt_tls_enabled": true, "mqtt_tls_port_vip": 1883}}}"""));
        assertEquals("hivemq.listener_configuration.mqtt_tls_port_vip", clash.field());
    }

    @Test
    void describeMasksSecretsAndNamesInstallOnlyOptions() throws IOException {
        ServiceOptions options = reader.read(packageDefaults());
        String text = OptionsDescription.text(options);
        assertFalse(text.contains(options.mqtt().auth().rbacConfig()), "rbac_config shown in clear");
        assertTrue(text.contains("\"control_center_password\" : \"<masked, 6 characters>\""), text);
        assertTrue(text.contains("\"max_connections\" : -1"), text);
        assertTrue(text.contains("hivemq.cluster_replica_count: no effect on HiveMQ Community Edition"), text);
        assertTrue(OptionChanges.installOnly().containsAll(List.of("service.name", "node.disk",
                "hivemq.cluster_tls_enabled")), OptionChanges.installOnly().toString());
        assertFalse(OptionChanges.installOnly("mqtt.limits.max_qos"));
    }

    private static String nest(String parent, String member) {
        String[] names = parent.split("\\.");
        StringBuilder json = new StringBuilder();
        for (String name : names) {
            json.append("{\"").append(name).append("\": ");
        }
        json.append('{').append(member).append('}');
        json.append("}".repeat(names.length));
        return json.toString();
    }
}
