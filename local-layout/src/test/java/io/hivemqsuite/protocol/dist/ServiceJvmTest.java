package io.hivemqsuite.protocol.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceJvmTest {

    /** A flag this JDK does not know would stop every service at launch: run each set on the JDK the suite uses. */
    @Test
    void everyServiceStartsAJvmWithItsOptions() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (ServiceJvm jvm : ServiceJvm.values()) {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvm.options());
            command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(ServiceJvm.ENVIRONMENT);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), jvm + ": " + output);
            assertTrue(output.contains("UseSerialGC                              = true"), jvm + " runs the serial collector");
            assertTrue(output.matches("(?s).*TieredStopAtLevel\\s+= 1 .*"), jvm + " compiles with C1 only");
        }
    }

    /** The resident heap follows the live set: it starts small and is given back, whatever the ceiling. */
    @Test
    void heapStartsSmallAndIsGivenBack() {
        for (ServiceJvm jvm : ServiceJvm.values()) {
            List<String> options = jvm.options();
            assertTrue(options.contains("-Xms8m"), jvm.toString());
            assertTrue(options.contains("-XX:MaxHeapFreeRatio=30"), jvm.toString());
            assertTrue(options.stream().anyMatch(o -> o.startsWith("-XX:MaxMetaspaceSize=")), jvm.toString());
        }
    }

    /** No archive next to the jar (a build without it, a copied jar): the options name none. */
    @Test
    void aMissingClassArchiveIsLeftOut(@TempDir Path dir) {
        List<String> options = ServiceJvm.NODE_AGENT.options(dir.resolve("quarkus-run.jar"));
        assertEquals(ServiceJvm.NODE_AGENT.options(), options);
    }

    /** A stale or broken archive (a jar rebuilt since, another JDK) must not keep a service from starting. */
    @Test
    void aServiceStartsWithABrokenClassArchive(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ServiceJvm.CDS_ARCHIVE), "not an archive");
        List<String> options = ServiceJvm.SCHEDULER.options(dir.resolve("quarkus-run.jar"));
        assertTrue(options.contains("-XX:SharedArchiveFile=" + dir.resolve(ServiceJvm.CDS_ARCHIVE)), options.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertFalse(output.contains("Error occurred during initialization"), output);
    }
}
