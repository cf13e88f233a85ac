package io.hivemqsuite.extension;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zip is what the node agent unpacks into extensions/: its layout is a contract. */
class ExtensionZipIT {
    @Test
    void zipHoldsOneFolderNamedLikeTheIdWithDescriptorAndSelfContainedJar() throws IOException {
        Path zip = SuiteBroker.extensionZip();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<String> names = file.stream().map(ZipEntry::getName).toList();
            assertTrue(names.stream().allMatch(n -> n.startsWith(SuiteBroker.EXTENSION_ID + "/")), names.toString());
            List<String> jars = names.stream().filter(n -> n.endsWith(".jar")).toList();
            assertEquals(1, jars.size(), names.toString());
            assertTrue(jars.get(0).matches(SuiteBroker.EXTENSION_ID + "/[^/]+\\.jar"), jars.toString());

            String descriptor = new String(file.getInputStream(
                    file.getEntry(SuiteBroker.EXTENSION_ID + "/hivemq-extension.xml")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(descriptor.contains("<id>" + SuiteBroker.EXTENSION_ID + "</id>"), descriptor);
            for (String element : List.of("name", "version", "priority", "start-priority", "author")) {
                assertTrue(descriptor.matches("(?s).*<" + element + ">[^<$]+</" + element + ">.*"), element + " in " + descriptor);
            }

            Map<String, byte[]> jar = entries(file.getInputStream(file.getEntry(jars.get(0))).readAllBytes());
            assertEquals("io.hivemqsuite.extension.SuiteExtensionMain",
                    new String(jar.get("META-INF/services/com.hivemq.extension.sdk.api.ExtensionMain"), StandardCharsets.UTF_8).trim());
            for (String used : List.of("ControlTopics", "InternalCredential", "ExtensionSettings")) {
                assertTrue(jar.keySet().stream().anyMatch(n -> n.endsWith("/" + used + ".class")), used + " not shaded in");
            }
            for (String used : List.of("PeerTable", "LinkSecret", "Router")) {
                assertTrue(jar.keySet().stream().anyMatch(n -> n.endsWith("/" + used + ".class")), used + " not shaded in");
            }
            // The router's links: Paho shaded in, with the network module its ServiceLoader finds, and without
            // Paho's jar signature (it would not match the shaded jar and the class loader would refuse it).
            assertTrue(jar.containsKey("org/eclipse/paho/mqttv5/client/MqttAsyncClient.class"), "Paho not shaded in");
            assertTrue(jar.containsKey("META-INF/services/org.eclipse.paho.mqttv5.client.spi.NetworkModuleFactory"));
            assertTrue(jar.containsKey("org/eclipse/paho/mqttv5/client/internal/TCPNetworkModuleFactory.class"));
            assertTrue(jar.keySet().stream().noneMatch(n -> n.endsWith(".SF") || n.endsWith(".RSA")), "signature files");
            assertTrue(jar.keySet().stream().noneMatch(n -> n.startsWith("com/fasterxml/") || n.startsWith("com/hivemq/")
                            || n.startsWith("io/netty/")),
                    "the jar must carry neither Jackson nor the SDK nor netty");
        }
        assertTrue(Files.size(zip) < 600_000, "unexpectedly large extension zip");
    }

    private static Map<String, byte[]> entries(byte[] jar) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
