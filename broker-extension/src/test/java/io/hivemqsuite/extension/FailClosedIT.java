package io.hivemqsuite.extension;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A broker whose extension cannot read its settings must admit nobody. The extension is the broker's only
 * security extension, so "extension did not start" shows up as every client being refused.
 */
class FailClosedIT {
    // Ports apart from ControlTopicProtectionIT's, so a socket still closing there cannot get in the way.
    private static final int PORT = 1884;

    @Test
    void missingSettingsFileRefusesEveryone() throws Exception {
        try (SuiteBroker broker = SuiteBroker.start(PORT, null)) {
            assertEveryoneRefused(broker);
        }
    }

    @Test
    void invalidSettingsFileRefusesEveryone() throws Exception {
        String badHash = "service.dns-name=hivemq\ninternal.credential.sha256=not-a-hash\nanonymous.allowed=true\n";
        try (SuiteBroker broker = SuiteBroker.start(PORT, badHash)) {
            assertEveryoneRefused(broker);
        }
    }

    @Test
    void anonymousAccessOffAdmitsOnlyTheSuite() throws Exception {
        try (SuiteBroker broker = SuiteBroker.start(PORT, SuiteBroker.validSettings(false))) {
            assertRefused(() -> Clients.anonymous(broker, "anonymous"));
            Mqtt5BlockingClient internal = Clients.internal(broker, "agent", SuiteBroker.SECRET);
            Clients.publish(internal, "hivemq-suite/hivemq/nodes/0/status", "{}", false);
            internal.disconnect();
        }
    }

    private static void assertEveryoneRefused(SuiteBroker broker) {
        assertRefused(() -> Clients.anonymous(broker, "anonymous"));
        // Even the right internal secret: without settings the extension has nothing to check it against.
        assertRefused(() -> Clients.internal(broker, "agent", SuiteBroker.SECRET));
    }

    private static void assertRefused(Runnable connect) {
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, connect::run);
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
    }
}
