package io.hivemqsuite.protocol.options;

import io.hivemqsuite.protocol.node.Listener;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsReaderTest {
    private final OptionsReader reader = new OptionsReader();

    @Test
    void noOptionsGiveTheDocumentedDefaults() {
        ServiceOptions options = reader.read("{}");
        assertEquals("hivemq", options.service().name());
        assertEquals(3, options.node().count());
        assertEquals("INFO", options.hivemq().logLevel());
        assertEquals(1883, options.hivemq().listeners().mqttPort());
        assertFalse(options.hivemq().listeners().mqttTlsEnabled());
        assertEquals(1, options.enabledListeners().size());
        assertEquals(Listener.MQTT, options.enabledListeners().get(0).listener());
    }

    @Test
    void theUserGuideSampleIsAccepted() {
        ServiceOptions options = reader.read("""
                {"service": {"name": "another-cluster"}, "node": {"count": 4}, "hivemq": {"hivemq_log_level": "DEBUG"}}
                """);
        assertEquals("another-cluster", options.service().name());
        assertEquals(4, options.node().count());
        assertEquals("DEBUG", options.hivemq().logLevel());
    }

    @Test
    void folderedNamesDropTheirSeparatorsInDns() {
        ServiceOptions options = reader.read("{\"service\": {\"name\": \"/dev/hivemq\"}}");
        assertEquals("devhivemq", options.service().dnsName());
    }

    @Test
    void enablingListenersOpensThemWithTheirPorts() {
        ServiceOptions options = reader.read("""
                {"hivemq": {"listener_configuration": {"mqtt_tls_enabled": true, "websocket_enabled": true}}}
                """);
        assertEquals(3, options.enabledListeners().size());
        assertEquals(8883, options.enabledListeners().get(1).port());
        assertEquals(8000, options.enabledListeners().get(2).port());
    }

    @Test
    void unknownFieldIsRefusedByName() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read("{\"node\": {\"cuont\": 3}}"));
        assertEquals("node.cuont", e.field());
        assertTrue(e.getMessage().contains("unknown field"), e.getMessage());
    }

    @Test
    void wrongTypeIsRefusedByName() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read("{\"node\": {\"count\": \"three\"}}"));
        assertEquals("node.count", e.field());
        assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
    }

    @Test
    void integerBeyondIntRangeIsRefusedByName() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> reader.read("{\"node\": {\"heap\": 2222222222222222222222222222240952}}"));
        assertEquals("node.heap", e.field());
        assertTrue(e.getMessage().contains("out of range of int"), e.getMessage());
    }

    @Test
    void countBelowOneIsRefused() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read("{\"node\": {\"count\": 0}}"));
        assertEquals("node.count", e.field());
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    @Test
    void invalidServiceNameIsRefused() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read("{\"service\": {\"name\": \"Hive_MQ\"}}"));
        assertEquals("service.name", e.field());
    }

    @Test
    void logLevelMustBeOneOfHiveMqs() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> reader.read("{\"hivemq\": {\"hivemq_log_level\": \"VERBOSE\"}}"));
        assertEquals("hivemq.hivemq_log_level", e.field());
        assertTrue(e.getMessage().contains("INFO"), e.getMessage());
    }

    @Test
    void metricsAreOnEveryFiveSecondsByDefaultAndTheIntervalIsBounded() {
        ServiceOptions options = reader.read("{}");
        assertTrue(options.hivemq().metricsEnabled());
        assertEquals(5, options.hivemq().metricsInterval());
        assertEquals(1, reader.read("{\"hivemq\": {\"metrics_enabled\": false, \"metrics_interval\": 1}}")
                .hivemq().metricsInterval());
        OptionsException zero = assertThrows(OptionsException.class,
                () -> reader.read("{\"hivemq\": {\"metrics_interval\": 0}}"));
        assertEquals("hivemq.metrics_interval", zero.field());
        assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
        OptionsException text = assertThrows(OptionsException.class,
                () -> reader.read("{\"hivemq\": {\"metrics_enabled\": \"yes\"}}"));
        assertEquals("hivemq.metrics_enabled", text.field());
    }

    @Test
    void heapMustFitTheNode() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> reader.read("{\"node\": {\"mem\": 512, \"heap\": 512}}"));
        assertEquals("node.heap", e.field());
    }

    @Test
    void nodeNamespacesAreLocalModeOnly() {
        assertFalse(reader.read("{}").service().localNetworkNamespaces(), "off by default");
        assertTrue(reader.read("{\"service\": {\"local_network_namespaces\": true}}").service()
                .localNetworkNamespaces());
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read(
                "{\"service\": {\"mode\": \"mesos\", \"local_network_namespaces\": true}}"));
        assertEquals("service.local_network_namespaces", e.field());
        assertTrue(e.getMessage().contains("local mode only"), e.getMessage());
    }

    @Test
    void recoveryDefaultsReportAfterTenMinutesAndNeverReplace() {
        ServiceOptions.Recovery recovery = reader.read("{}").service().recovery();
        assertEquals(new ServiceOptions.Recovery(600, false), recovery);
        assertEquals(new ServiceOptions.Recovery(30, true), reader.read(
                "{\"service\": {\"recovery\": {\"grace_period_secs\": 30, \"auto_replace_enabled\": true}}}")
                .service().recovery());
    }

    @Test
    void badRecoveryValuesAreRefusedByName() {
        OptionsException shortGrace = assertThrows(OptionsException.class,
                () -> reader.read("{\"service\": {\"recovery\": {\"grace_period_secs\": 5}}}"));
        assertEquals("service.recovery.grace_period_secs", shortGrace.field());
        OptionsException notABoolean = assertThrows(OptionsException.class,
                () -> reader.read("{\"service\": {\"recovery\": {\"auto_replace_enabled\": \"yes\"}}}"));
        assertEquals("service.recovery.auto_replace_enabled", notABoolean.field());
    }

    @Test
    void twoListenersOnOnePortAreRefused() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read(
                "{\"hivemq\": {\"listener_configuration\": {\"websocket_enabled\": true, \"websocket_port\": 1883}}}"));
        assertEquals("hivemq.listener_configuration.websocket_port", e.field());
    }

    @Test
    void malformedJsonIsRefusedWithItsPosition() {
        OptionsException e = assertThrows(OptionsException.class, () -> reader.read("{\"node\": "));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> reader.read("{\"node\": {\"count\": -1, \"cpus\": \"x\"}, \"extra\": 1}"));
        assertEquals(3, e.errors().size(), e.getMessage());
    }

    @Test
    void completedSpecRoundTripsThroughItsJson() {
        ServiceOptions options = reader.read("{\"node\": {\"count\": 2}}");
        assertEquals(options, reader.read(OptionsReader.toJson(options)));
    }
}
