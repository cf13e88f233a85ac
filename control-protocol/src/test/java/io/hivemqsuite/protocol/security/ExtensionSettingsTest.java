package io.hivemqsuite.protocol.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExtensionSettingsTest {

    @Test
    void metricsSettingsReachTheExtension(@TempDir Path folder) {
        ExtensionSettings settings = new ExtensionSettings("hivemq", InternalCredential.sha256("s"), true,
                ExtensionSettings.Routing.OFF, new ExtensionSettings.Metrics(true, 2, 1));
        settings.write(folder);
        assertEquals(settings, ExtensionSettings.read(folder));
    }

    @Test
    void withoutMetricsSettingsTheExtensionPublishesNone(@TempDir Path folder) {
        new ExtensionSettings("hivemq", InternalCredential.sha256("s"), true).write(folder);
        assertFalse(ExtensionSettings.read(folder).metrics().enabled());
    }

    @Test
    void usersAndRolesAreOffUnlessWrittenOn(@TempDir Path folder) {
        ExtensionSettings on = new ExtensionSettings("hivemq", InternalCredential.sha256("s"), false,
                ExtensionSettings.Routing.OFF, ExtensionSettings.Metrics.OFF, true);
        on.write(folder);
        assertEquals(on, ExtensionSettings.read(folder));
        new ExtensionSettings("hivemq", InternalCredential.sha256("s"), true).write(folder);
        assertFalse(ExtensionSettings.read(folder).rbacEnabled());
    }

    @Test
    void anIntervalOutOfRangeIsRefusedByKey(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve(ExtensionSettings.FILE_NAME), "service.dns-name=hivemq\n"
                + "internal.credential.sha256=" + InternalCredential.sha256("s") + "\n"
                + "metrics.enabled=true\nnode.index=0\nmetrics.interval-seconds=0\n");
        assertEquals("metrics.interval-seconds must be within 1..3600 but is 0",
                assertThrows(IllegalArgumentException.class, () -> ExtensionSettings.read(folder)).getMessage());
    }
}
