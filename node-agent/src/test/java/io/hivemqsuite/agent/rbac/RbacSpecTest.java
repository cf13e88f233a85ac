package io.hivemqsuite.agent.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.agent.home.ExtensionInstaller;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.rbac.RbacFiles;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.security.InternalCredential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the agent does with {@code mqtt.auth} of its spec: checks it, then writes the extension's rbac/ files. */
class RbacSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PACKAGE = Path.of("..", "control-protocol", "src", "test", "resources", "rbac");

    private static String packageOption(String name) throws IOException {
        return Files.readString(PACKAGE.resolve("dcos-package-" + name + ".b64")).trim();
    }

    private static JsonNode spec(Object enable, String credentials, String extensionConfig) {
        ObjectNode auth = JSON.createObjectNode();
        auth.set("enable_rbac", JSON.valueToTree(enable));
        auth.put("rbac_config", credentials);
        auth.put("rbac_extension_config", extensionConfig);
        ObjectNode spec = JSON.createObjectNode();
        spec.putObject("mqtt").set("auth", auth);
        return spec;
    }

    private static Path extension(Path dir, boolean rbac) throws IOException {
        Path zip = Files.createDirectories(dir).resolve("ext.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(ExtensionSettings.EXTENSION_ID + "/hivemq-extension.xml"));
            out.write("<hivemq-extension/>".getBytes(StandardCharsets.UTF_8));
        }
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        ExtensionSettings settings = new ExtensionSettings("hivemq", InternalCredential.sha256("s"), !rbac,
                ExtensionSettings.Routing.OFF, ExtensionSettings.Metrics.OFF, rbac);
        ExtensionInstaller.install(zip, extensions, settings, null, null,
                rbac ? RbacSpec.files(packageOption("rbac_config"), packageOption("rbac_extension_config")) : null);
        return extensions;
    }

    @Test
    void aSpecWithoutUsersOrWithThemOffInstallsNone() throws IOException {
        assertEquals(Optional.empty(), RbacSpec.read(JSON.readTree("{\"service\": {\"name\": \"hivemq\"}}")));
        assertEquals(Optional.empty(), RbacSpec.read(spec(false, "not even base64", "")));
    }

    @Test
    void thePackagesDefaultsAreWrittenAsTheyCameAndReadByTheExtensionSettings(@TempDir Path dir) throws IOException {
        Optional<RbacFiles> files = RbacSpec.read(spec(true, packageOption("rbac_config"), packageOption("rbac_extension_config")));
        assertTrue(files.isPresent());
        Path extensions = extension(dir, true);
        Path folder = extensions.resolve(ExtensionSettings.EXTENSION_ID);
        assertTrue(ExtensionSettings.read(folder).rbacEnabled());
        assertFalse(ExtensionSettings.read(folder).anonymousAllowed());
        assertArrayEquals(Base64.getDecoder().decode(packageOption("rbac_config")),
                Files.readAllBytes(folder.resolve("rbac/credentials.xml")));
        assertArrayEquals(Base64.getDecoder().decode(packageOption("rbac_extension_config")),
                Files.readAllBytes(folder.resolve("rbac/extension-config.xml")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(folder.resolve("rbac/credentials.xml"))));
    }

    @Test
    void badInputNamesTheOptionAndChangesNothing(@TempDir Path dir) throws IOException {
        Path extensions = extension(dir, true);
        Path credentials = extensions.resolve(ExtensionSettings.EXTENSION_ID).resolve("rbac/credentials.xml");
        byte[] before = Files.readAllBytes(credentials);

        OptionsException e = assertThrows(OptionsException.class, () -> RbacSpec.read(spec(true,
                Base64.getEncoder().encodeToString("<file-rbac><users>".getBytes(StandardCharsets.UTF_8)), "")));
        assertEquals("mqtt.auth.rbac_config", e.field());
        assertTrue(e.getMessage().contains("not well-formed XML at line 1"), e.getMessage());

        e = assertThrows(OptionsException.class, () -> RbacSpec.read(spec(true, "%%%", "")));
        assertEquals("mqtt.auth.rbac_config", e.field());
        e = assertThrows(OptionsException.class, () -> RbacSpec.read(spec("yes", packageOption("rbac_config"), "")));
        assertEquals("mqtt.auth.enable_rbac", e.field());
        e = assertThrows(OptionsException.class, () -> RbacSpec.read(spec(true, packageOption("rbac_config"),
                Base64.getEncoder().encodeToString("<extension-configuration><password-type>SHA1</password-type></extension-configuration>"
                        .getBytes(StandardCharsets.UTF_8)))));
        assertEquals("mqtt.auth.rbac_extension_config", e.field());

        assertArrayEquals(before, Files.readAllBytes(credentials), "a refused update must not touch the installed users");
    }

    @Test
    void newUsersReplaceTheInstalledOnesOnlyWhereUsersAreOn(@TempDir Path dir) throws IOException {
        String plain = Base64.getEncoder().encodeToString("""
                <file-rbac><users><user><name>carol</name><password>pw</password><roles><id>r</id></roles></user></users>
                <roles><role><id>r</id><permissions><permission><topic>#</topic></permission></permissions></role></roles>
                </file-rbac>""".getBytes(StandardCharsets.UTF_8));
        String plainConfig = Base64.getEncoder().encodeToString(
                "<extension-configuration><password-type>PLAIN</password-type></extension-configuration>"
                        .getBytes(StandardCharsets.UTF_8));
        Path on = extension(dir.resolve("on"), true);
        ExtensionInstaller.updateUsers(on, RbacSpec.files(plain, plainConfig));
        Path folder = on.resolve(ExtensionSettings.EXTENSION_ID).resolve("rbac");
        assertTrue(Files.readString(folder.resolve("credentials.xml")).contains("carol"));
        assertTrue(Files.readString(folder.resolve("extension-config.xml")).contains("PLAIN"));

        Path off = extension(dir.resolve("off"), false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ExtensionInstaller.updateUsers(off, RbacSpec.files(plain, plainConfig)));
        assertTrue(e.getMessage().contains("mqtt.auth.enable_rbac is false"), e.getMessage());
        assertFalse(Files.exists(off.resolve(ExtensionSettings.EXTENSION_ID).resolve("rbac")));
    }
}
