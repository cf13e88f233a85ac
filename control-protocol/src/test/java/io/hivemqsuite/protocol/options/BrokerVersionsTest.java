package io.hivemqsuite.protocol.options;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerVersionsTest {

    @Test
    void theSchemaShipsTwoReleasesWithTheNewestAsDefault() {
        assertEquals(2, BrokerVersions.shipped().size(), BrokerVersions.shipped().toString());
        assertEquals(BrokerVersions.shipped().get(1), BrokerVersions.current());
        assertEquals(BrokerVersions.current(), new OptionsReader().read("{}").hivemq().version());
        for (String version : BrokerVersions.shipped()) {
            assertTrue(BrokerVersions.dataFormat(version).isPresent(), "data format of " + version + " recorded");
        }
    }

    @Test
    void anUnknownReleaseIsRefusedNamingTheOption() {
        OptionsException e = assertThrows(OptionsException.class,
                () -> new OptionsReader().read("{\"hivemq\": {\"version\": \"2019.1\"}}"));
        assertEquals("hivemq.version", e.field());
        assertTrue(e.getMessage().contains("2019.1") && e.getMessage().contains(BrokerVersions.current()),
                e.getMessage());
    }

    @Test
    void upgradesAndSameFormatRollbacksAreAllowed() {
        String previous = BrokerVersions.shipped().get(0);
        String current = BrokerVersions.current();
        assertEquals(Optional.empty(), BrokerVersions.refusal(previous, current));
        // the shipped pair writes the same data format, so the rollback is allowed
        assertEquals(Optional.empty(), BrokerVersions.refusal(current, previous));
        assertEquals(Optional.empty(), BrokerVersions.refusal(null, previous), "a target from before the option");
    }

    @Test
    void aRollbackAcrossADataFormatChangeIsRefusedSayingWhy() {
        Map<String, Map<String, String>> formats = Map.of(
                "2025.4", Map.of("client_queue", "040500"),
                "2026.1", Map.of("client_queue", "050000"));
        assertEquals(Optional.empty(), BrokerVersions.refusal("2025.4", "2026.1", formats), "upgrades migrate");
        FieldError refused = BrokerVersions.refusal("2026.1", "2025.4", formats).orElseThrow();
        assertEquals("hivemq.version", refused.field());
        assertTrue(refused.toString().contains("client_queue 050000 in 2026.1, 040500 in 2025.4"), refused.toString());
        FieldError unknown = BrokerVersions.refusal("2026.1", "2024.9", formats).orElseThrow();
        assertTrue(unknown.toString().contains("data format of 2024.9 is not known"), unknown.toString());
    }

    @Test
    void releasesCompareByNumber() {
        assertTrue(BrokerVersions.compare("2025.10", "2025.9") > 0);
        assertTrue(BrokerVersions.compare("2025.4", "2025.5") < 0);
        assertEquals(0, BrokerVersions.compare("2025.5", "2025.5"));
    }

    @Test
    void eachReleaseHasItsOwnClasspathFolder() {
        LocalDistribution dist = new LocalDistribution(Path.of("/suite"));
        assertEquals(dist.brokerLibDir(), dist.brokerLibDir(BrokerVersions.current()));
        for (String version : BrokerVersions.shipped()) {
            if (!version.equals(BrokerVersions.current())) {
                assertEquals(Path.of("/suite/broker-distribution/previous-release/target/hivemq-ce/lib"),
                        dist.brokerLibDir(version), version);
            }
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> dist.brokerLibDir("2019.1"));
        assertTrue(unknown.getMessage().contains("2019.1"), unknown.getMessage());
    }
}
