package io.hivemqsuite.agent.home;

import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer.RenderedConfig;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigSchema;
import io.hivemqsuite.protocol.brokerconfig.ConfigRejectedException;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.security.InternalCredential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendering against the real config.xsd of the broker jar the agent runs. */
class BrokerConfigTest {
    private static BrokerConfigSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = BrokerConfigSchema.fromBrokerLib(LocalDistribution.fromEnvironment().brokerLibDir());
    }

    private static ServiceOptions spec(String listeners) {
        return new OptionsReader().read("{\"hivemq\":{\"hivemq_log_level\":\"WARN\",\"listener_configuration\":{"
                + listeners + "}}}");
    }

    @Test
    void renderedConfigValidatesAndBindsEveryPlainListenerToTheNodeAddress(@TempDir Path dir) throws IOException {
        RenderedConfig config = BrokerConfigRenderer.renderConfig(spec(
                "\"mqtt_port\":1884,\"websocket_enabled\":true,\"websocket_port\":8002,\"mqtt_tls_enabled\":true"),
                "127.0.66.9");
        Path target = dir.resolve("config.xml");
        schema.validateAndWrite(config.xml(), target);

        String written = Files.readString(target);
        assertTrue(written.contains("<tcp-listener>") && written.contains("<port>1884</port>"), written);
        assertTrue(written.contains("<websocket-listener>") && written.contains("<path>/mqtt</path>"), written);
        assertEquals(2, written.split("<bind-address>127.0.66.9</bind-address>", -1).length - 1, written);
        assertTrue(written.contains("<anonymous-usage-statistics>\n        <enabled>false</enabled>"), written);
        assertFalse(written.contains("tls"), "TLS listeners are not rendered yet: " + written);
        assertEquals(Listener.MQTT_TLS, config.omitted().get(0).listener());
        assertEquals(2, config.listeners().size());
    }

    @Test
    void brokenConfigIsRefusedAndTheOldOneStays(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("config.xml");
        String good = BrokerConfigRenderer.renderConfig(spec(""), "127.0.66.9").xml();
        schema.validateAndWrite(good, target);

        String wrongPort = good.replace("<port>1883</port>", "<port>70000</port>");
        ConfigRejectedException e = assertThrows(ConfigRejectedException.class,
                () -> schema.validateAndWrite(wrongPort, target));
        assertTrue(e.getMessage().contains("70000") && e.getMessage().contains("line"), e.getMessage());

        String unknownElement = good.replace("<listeners>", "<listeners><udp-listener/>");
        assertThrows(ConfigRejectedException.class, () -> schema.validateAndWrite(unknownElement, target));
        String notXml = good.substring(0, good.length() - 10);
        assertThrows(ConfigRejectedException.class, () -> schema.validateAndWrite(notXml, target));

        assertEquals(good, Files.readString(target), "a refused config must not touch the written one");
    }

    @Test
    void logbackHonoursTheBrokerLogLevelButKeepsTheStartLine(@TempDir Path dir) {
        String xml = BrokerConfigRenderer.renderLogback("ERROR", dir.resolve("hivemq.log"));
        assertTrue(xml.contains("<root level=\"ERROR\">"), xml);
        assertTrue(xml.contains("<logger name=\"com.hivemq.HiveMQServer\" level=\"INFO\"/>"), xml);
        assertTrue(xml.contains("<file>" + dir.resolve("hivemq.log") + "</file>"), xml);
        assertFalse(BrokerConfigRenderer.renderLogback("DEBUG", dir.resolve("x")).contains("HiveMQServer"));
    }

    @Test
    void extensionZipWithAnEscapingEntryIsRefused(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(ExtensionSettings.EXTENSION_ID + "/hivemq-extension.xml"));
            out.write("<x/>".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("../../escaped.txt"));
            out.write("gotcha".getBytes(StandardCharsets.UTF_8));
        }
        Path extensions = Files.createDirectories(dir.resolve("home/extensions"));
        ExtensionSettings settings = new ExtensionSettings("hivemq", InternalCredential.sha256("s"), true);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ExtensionInstaller.install(zip, extensions, settings));
        assertTrue(e.getMessage().contains("escapes"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
        assertFalse(Files.exists(dir.resolve("home/escaped.txt")));
    }

    @Test
    void extensionReplacesAnOlderCopyAndCarriesTheSettings(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("ext.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(ExtensionSettings.EXTENSION_ID + "/"));
            out.putNextEntry(new ZipEntry(ExtensionSettings.EXTENSION_ID + "/hivemq-extension.xml"));
            out.write("<hivemq-extension/>".getBytes(StandardCharsets.UTF_8));
        }
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        Path old = Files.createDirectories(extensions.resolve(ExtensionSettings.EXTENSION_ID));
        try (OutputStream stale = Files.newOutputStream(old.resolve("old-version.jar"))) {
            stale.write(1);
        }
        ExtensionSettings settings = new ExtensionSettings("devhivemq", InternalCredential.sha256("s"), true);
        Path installed = ExtensionInstaller.install(zip, extensions, settings);

        assertFalse(Files.exists(installed.resolve("old-version.jar")), "older copy must be replaced whole");
        assertTrue(Files.exists(installed.resolve("hivemq-extension.xml")));
        assertEquals(settings, ExtensionSettings.read(installed));
        try (var files = Files.list(extensions)) {
            assertEquals(1, files.count(), "no staging folder may be left for HiveMQ to scan");
        }
    }
}
