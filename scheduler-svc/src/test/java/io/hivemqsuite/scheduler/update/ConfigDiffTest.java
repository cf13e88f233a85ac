package io.hivemqsuite.scheduler.update;

import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDiffTest {
    private static ServiceOptions read(String json) {
        return new OptionsReader().read(json);
    }

    private static List<ConfigDiff.Change> diff(ServiceOptions a, ServiceOptions b) {
        return ConfigDiff.diff(ControlJson.mapper().valueToTree(a), ControlJson.mapper().valueToTree(b));
    }

    @Test
    void listenerChangesRestartEveryNodeAndNewNodesAreAdded() {
        ServiceOptions before = read("{\"node\": {\"count\": 2}}");
        ServiceOptions after = read("{\"node\": {\"count\": 3}, \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true}}}");
        List<ConfigDiff.Change> changes = diff(before, after);
        assertEquals(List.of("node.count", "hivemq.listener_configuration.mqtt_tls_enabled"),
                changes.stream().map(ConfigDiff.Change::field).toList());
        List<UpdateRecord.NodeAction> nodes = UpdateService.nodeActions(before, after, changes);
        assertEquals(List.of(UpdateRecord.Action.RESTART, UpdateRecord.Action.RESTART, UpdateRecord.Action.ADD),
                nodes.stream().map(UpdateRecord.NodeAction::action).toList());
        assertEquals(List.of("hivemq.listener_configuration.mqtt_tls_enabled"), nodes.get(0).reasons());
    }

    @Test
    void schedulerOnlyFieldsRestartNothingAndCaChangesRenewInPlace() {
        ServiceOptions before = read("{\"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true}}}");
        ServiceOptions validity = read("{\"service\": {\"log_level\": \"DEBUG\", \"tls\": {\"certificate_validity_hours\": 24}},"
                + " \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true}}}");
        assertTrue(UpdateService.nodeActions(before, validity, diff(before, validity)).isEmpty());
        ServiceOptions ca = read("{\"service\": {\"tls\": {\"ca_certificate_path\": \"/x/ca.crt\", \"ca_key_path\": \"/x/ca.key\"}},"
                + " \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true}}}");
        assertEquals(List.of(UpdateRecord.Action.CERTIFICATES, UpdateRecord.Action.CERTIFICATES,
                UpdateRecord.Action.CERTIFICATES), UpdateService.nodeActions(before, ca, diff(before, ca)).stream()
                .map(UpdateRecord.NodeAction::action).toList());
    }

    @Test
    void theStoredRecordReadsBackForAResumedPlan() throws Exception {
        ServiceOptions before = read("{\"node\": {\"count\": 1}}");
        ServiceOptions after = read("{\"node\": {\"count\": 2}, \"hivemq\": {\"hivemq_log_level\": \"WARN\"}}");
        List<ConfigDiff.Change> changes = diff(before, after);
        UpdateRecord record = new UpdateRecord(OptionsReader.toJson(before), OptionsReader.toJson(after), changes,
                UpdateService.nodeActions(before, after, changes), 42L);
        byte[] json = ControlJson.mapper().writeValueAsBytes(record);
        assertEquals(record, ControlJson.read(json, UpdateRecord.class));
    }

    @Test
    void changedUsersAndRolesAreReplacedInPlaceWhileSwitchingThemRestarts() {
        assertEquals(ConfigDiff.Effect.USERS, ConfigDiff.effect("mqtt.auth.rbac_config"));
        assertEquals(ConfigDiff.Effect.USERS, ConfigDiff.effect("mqtt.auth.rbac_extension_config"));
        assertEquals(ConfigDiff.Effect.RESTART, ConfigDiff.effect("mqtt.auth.enable_rbac"));
        ServiceOptions tls = read("{\"node\": {\"count\": 2}, \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true}}}");
        ConfigDiff.Change users = new ConfigDiff.Change("mqtt.auth.rbac_config", "\"old\"", "\"new\"", ConfigDiff.Effect.USERS);
        List<UpdateRecord.NodeAction> nodes = UpdateService.nodeActions(tls, tls, List.of(users));
        assertEquals(List.of(UpdateRecord.Action.USERS, UpdateRecord.Action.USERS),
                nodes.stream().map(UpdateRecord.NodeAction::action).toList());
        assertEquals(List.of("mqtt.auth.rbac_config"), nodes.get(0).reasons());
        // with a field that restarts anyway, the relaunch renders the new users too
        ConfigDiff.Change level = new ConfigDiff.Change("hivemq.hivemq_log_level", "\"INFO\"", "\"WARN\"",
                ConfigDiff.Effect.RESTART);
        assertEquals(List.of(UpdateRecord.Action.RESTART, UpdateRecord.Action.RESTART),
                UpdateService.nodeActions(tls, tls, List.of(users, level)).stream()
                        .map(UpdateRecord.NodeAction::action).toList());
        // with new certificates as well: one relaunch applies both
        ConfigDiff.Change ca = new ConfigDiff.Change("service.tls.ca_certificate_path", "\"\"", "\"/x/ca.crt\"",
                ConfigDiff.Effect.CERTIFICATES);
        List<UpdateRecord.NodeAction> both = UpdateService.nodeActions(tls, tls, List.of(users, ca));
        assertEquals(UpdateRecord.Action.RESTART, both.get(0).action());
        assertEquals(List.of("service.tls.ca_certificate_path", "mqtt.auth.rbac_config"), both.get(0).reasons());
    }

    @Test
    void nameAndModeAreRefusedByEffect() {
        assertEquals(ConfigDiff.Effect.REFUSED, ConfigDiff.effect("service.name"));
        assertEquals(ConfigDiff.Effect.REFUSED, ConfigDiff.effect("service.mode"));
        // install-only in the DC/OS package too (the schema's x-install-only)
        assertEquals(ConfigDiff.Effect.REFUSED, ConfigDiff.effect("node.disk"));
        assertEquals(ConfigDiff.Effect.REFUSED, ConfigDiff.effect("hivemq.cluster_tls_enabled"));
        // accepted but without effect here: nothing restarts
        assertEquals(ConfigDiff.Effect.NONE, ConfigDiff.effect("hivemq.control_center_enabled"));
        // what the brokers apply rolls with the restart
        assertEquals(ConfigDiff.Effect.RESTART, ConfigDiff.effect("mqtt.limits.max_qos"));
        assertEquals(ConfigDiff.Effect.RESTART, ConfigDiff.effect("hivemq.restrictions.max_connections"));
        assertEquals(ConfigDiff.Effect.SCALE, ConfigDiff.effect("node.count"));
        assertEquals(ConfigDiff.Effect.RESTART, ConfigDiff.effect("node.heap"));
        assertEquals(ConfigDiff.Effect.RESTART, ConfigDiff.effect("hivemq.hivemq_log_level"));
    }
}
