package io.hivemqsuite.agent.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.rbac.RbacConfigException;
import io.hivemqsuite.protocol.rbac.RbacFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Users and roles of this node: {@code mqtt.auth.enable_rbac}, {@code rbac_config} and
 * {@code rbac_extension_config} (base64, as in the DC/OS package) from the spec the agent runs with.
 *
 * <p>Read from the spec's JSON tree by name rather than through {@code ServiceOptions}, so the agent needs nothing
 * from the options records but the three names (the spec carries them completed with the package's defaults).
 * A spec without {@code mqtt.auth} means users and roles off.
 */
public final class RbacSpec {
    public static final String ENABLE_OPTION = "mqtt.auth.enable_rbac";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RbacSpec() {
    }

    /** @return the files to install, empty when users and roles are off */
    public static Optional<RbacFiles> read(Path specFile) {
        try {
            return read(JSON.readTree(Files.readString(specFile)));
        } catch (IOException e) {
            throw new OptionsException("--options", "cannot read " + specFile + ": " + e.getMessage());
        }
    }

    /**
     * @throws OptionsException naming the option that is wrong (not a boolean, not base64, XML the File RBAC
     *                          extension would refuse); nothing is written then
     */
    public static Optional<RbacFiles> read(JsonNode spec) {
        JsonNode auth = spec.path("mqtt").path("auth");
        JsonNode enabled = auth.path("enable_rbac");
        if (enabled.isMissingNode() || enabled.isNull()) {
            return Optional.empty();
        }
        if (!enabled.isBoolean()) {
            throw new OptionsException(ENABLE_OPTION, "must be a boolean but is " + enabled);
        }
        if (!enabled.booleanValue()) {
            return Optional.empty();
        }
        return Optional.of(files(text(auth, "rbac_config"), text(auth, "rbac_extension_config")));
    }

    /** The two options as given (base64), checked; what {@code PUT /v1/node/rbac} receives as well. */
    public static RbacFiles files(String credentialsBase64, String extensionConfigBase64) {
        try {
            return RbacFiles.fromOptions(credentialsBase64, extensionConfigBase64);
        } catch (RbacConfigException e) {
            throw new OptionsException(e.field(), String.join("; ", e.problems()));
        }
    }

    private static String text(JsonNode auth, String name) {
        JsonNode value = auth.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new OptionsException("mqtt.auth." + name, "must be a base64 string but is " + value.getNodeType());
        }
        return value.textValue();
    }
}
