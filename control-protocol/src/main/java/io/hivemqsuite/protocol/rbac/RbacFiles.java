package io.hivemqsuite.protocol.rbac;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * Users and roles as the node agent hands them to the broker extension: {@code rbac/credentials.xml} and
 * {@code rbac/extension-config.xml} inside the extension's folder. The agent writes them whole (temporary file,
 * then rename), so the extension, which re-reads them every second, never sees half a file.
 *
 * @param credentials     the credentials.xml bytes, already checked
 * @param extensionConfig the extension-config.xml bytes, already checked
 */
public record RbacFiles(byte[] credentials, byte[] extensionConfig) {
    public static final String CREDENTIALS_OPTION = "mqtt.auth.rbac_config";
    public static final String EXTENSION_CONFIG_OPTION = "mqtt.auth.rbac_extension_config";
    public static final String FOLDER = "rbac";
    public static final String CREDENTIALS_FILE = "credentials.xml";
    public static final String EXTENSION_CONFIG_FILE = "extension-config.xml";

    /**
     * Decodes and checks the two options (base64, as in the DC/OS package). A blank extension config means the
     * extension's defaults (hashed passwords).
     *
     * @throws RbacConfigException naming the option that is wrong
     */
    public static RbacFiles fromOptions(String credentialsBase64, String extensionConfigBase64) {
        byte[] extensionConfig = extensionConfigBase64 == null || extensionConfigBase64.isBlank()
                ? new byte[0] : decode(EXTENSION_CONFIG_OPTION, extensionConfigBase64);
        RbacExtensionConfig config = extensionConfig.length == 0 ? RbacExtensionConfig.DEFAULT
                : RbacExtensionConfig.parse(extensionConfig, EXTENSION_CONFIG_OPTION);
        if (credentialsBase64 == null || credentialsBase64.isBlank()) {
            throw new RbacConfigException(CREDENTIALS_OPTION, "must hold a base64 credentials.xml when"
                    + " mqtt.auth.enable_rbac is true");
        }
        byte[] credentials = decode(CREDENTIALS_OPTION, credentialsBase64);
        RbacCredentials.parse(credentials, config.passwordType(), CREDENTIALS_OPTION);
        return new RbacFiles(credentials, extensionConfig);
    }

    private static byte[] decode(String field, String base64) {
        try {
            // line breaks (base64 without -w0) are fine; any other stray character is an error, not silently dropped
            return Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new RbacConfigException(field, "not valid base64: " + e.getMessage());
        }
    }

    public static Path folder(Path extensionFolder) {
        return extensionFolder.resolve(FOLDER);
    }

    /** Writes both files; an empty extension config removes the file (the extension then uses the defaults). */
    public void write(Path extensionFolder) {
        Path folder = folder(extensionFolder);
        try {
            Files.createDirectories(folder);
            if (extensionConfig.length == 0) {
                Files.deleteIfExists(folder.resolve(EXTENSION_CONFIG_FILE));
            } else {
                writeAtomically(folder.resolve(EXTENSION_CONFIG_FILE), extensionConfig);
            }
            // credentials last: the extension re-reads on a change of this file, with the config already in place
            writeAtomically(folder.resolve(CREDENTIALS_FILE), credentials);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the users and roles into " + folder, e);
        }
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // 0600 from creation on: password hashes (or plain passwords) are for the broker's user only
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
