package io.hivemqsuite.protocol.sidecar;

import io.hivemqsuite.protocol.plan.PlanRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sidecar plans' parameter checks (add-config's PATH included) and the change log's replay. */
class SidecarPlansTest {
    @Test
    void configPathsStayInsideTheExtensionsFolder(@TempDir Path extensions) throws IOException {
        assertEquals("PATH", assertThrows(PlanRequestException.class, () -> ConfigPath.parse("../x")).field());
        assertThrows(PlanRequestException.class, () -> ConfigPath.parse("/etc/passwd"));
        assertThrows(PlanRequestException.class, () -> ConfigPath.parse("my-ext"));
        assertThrows(PlanRequestException.class, () -> ConfigPath.parse("my-ext//x"));
        assertThrows(PlanRequestException.class, () -> ConfigPath.parse("my-ext\\x"));
        Files.createDirectories(extensions.resolve("my-ext/conf"));
        assertEquals(extensions.resolve("my-ext/conf/a.xml").toAbsolutePath(),
                ConfigPath.resolve(extensions, "my-ext/conf/a.xml"));
        Path outside = Files.createTempDirectory("outside");
        Files.createSymbolicLink(extensions.resolve("my-ext/link"), outside);
        PlanRequestException e = assertThrows(PlanRequestException.class,
                () -> ConfigPath.resolve(extensions, "my-ext/link/a.xml"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("a.xml")));
        assertTrue(assertThrows(PlanRequestException.class, () -> ConfigPath.resolve(extensions, "nope/a.xml"))
                .getMessage().contains("does not exist"));
    }

    @Test
    void parametersAreCheckedByName() {
        PlanRequestException unknown = assertThrows(PlanRequestException.class,
                () -> SidecarPlans.checkParameters("add-extension", Map.of("URL", "http://x", "X", "1")));
        assertEquals("X", unknown.field());
        assertEquals("LICENSE", assertThrows(PlanRequestException.class, () -> SidecarPlans.checkParameters(
                "add-license", Map.of("LICENSE", "ab$c", "LICENSE_NAME", "a.lic"))).field());
        assertEquals("LICENSE_NAME", assertThrows(PlanRequestException.class, () -> SidecarPlans.checkParameters(
                "add-license", Map.of("LICENSE", "YWJj", "LICENSE_NAME", "/tmp/a.lic"))).field());
        assertEquals("EXTENSION", assertThrows(PlanRequestException.class, () -> SidecarPlans.checkParameters(
                "delete-extension", Map.of("EXTENSION", "hivemq-suite-extension"))).field());
        assertEquals("SHA256", assertThrows(PlanRequestException.class, () -> SidecarPlans.checkParameters(
                "add-extension", Map.of("URL", "http://x", "SHA256", "xyz"))).field());
        // base64 as `base64 file` prints it: wrapped lines are fine
        SidecarPlans.checkParameters("add-license", Map.of("LICENSE", "YWJj\nZGVm\n", "LICENSE_NAME", "a.lic"));
        // the user guide's own example names the license without .lic
        SidecarPlans.checkParameters("add-license", Map.of("LICENSE", "YWJj", "LICENSE_NAME", "new_license"));
        assertEquals("new_license.lic", SidecarPlans.licenseFileName("new_license"));
        assertEquals("a.lic", SidecarPlans.licenseFileName("a.lic"));
    }

    @Test
    void aDeletedExtensionsEarlierChangesAreNotReplayed() {
        List<SidecarChange> log = List.of(
                new SidecarChange(1, "add-extension", Map.of("URL", "u1"), 1, "a"),
                new SidecarChange(2, "add-license", Map.of(), 2, null),
                new SidecarChange(3, "add-config", Map.of(), 3, "a"),
                new SidecarChange(4, "add-extension", Map.of("URL", "u2"), 4, "b"),
                new SidecarChange(5, "delete-extension", Map.of(), 5, "a"),
                new SidecarChange(6, "add-extension", Map.of("URL", "u3"), 6, "a"));
        assertEquals(List.of(2L, 4L, 6L), SidecarChange.replayable(log).stream().map(SidecarChange::seq).toList());
    }
}
