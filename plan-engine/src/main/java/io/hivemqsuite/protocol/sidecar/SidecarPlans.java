package io.hivemqsuite.protocol.sidecar;

import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.protocol.security.ExtensionSettings;

import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The six sidecar plans and their parameters, spelled exactly as DC/OS users know them, plus the checks that need
 * nothing but the parameters themselves. Shared by sidecar-svc (refuses a bad start) and the node agent (refuses a
 * bad command), so both ends apply the same rules.
 */
public final class SidecarPlans {
    public static final String ADD_LICENSE = "add-license";
    public static final String ADD_EXTENSION = "add-extension";
    public static final String ADD_CONFIG = "add-config";
    public static final String ENABLE_EXTENSION = "enable-extension";
    public static final String DISABLE_EXTENSION = "disable-extension";
    public static final String DELETE_EXTENSION = "delete-extension";
    public static final List<String> ALL = List.of(ADD_LICENSE, ADD_EXTENSION, ADD_CONFIG, ENABLE_EXTENSION,
            DISABLE_EXTENSION, DELETE_EXTENSION);

    public static final String LICENSE = "LICENSE";
    public static final String LICENSE_NAME = "LICENSE_NAME";
    public static final String URL = "URL";
    public static final String SHA256 = "SHA256";
    public static final String PATH = "PATH";
    public static final String FILE_CONTENT = "FILE_CONTENT";
    public static final String EXTENSION = "EXTENSION";

    /** NodeCommand types: apply a sidecar change, or only check that it could be applied (changes nothing). */
    public static final String APPLY_COMMAND = "sidecar-apply";
    public static final String CHECK_COMMAND = "sidecar-check";
    /** NodeCommand parameter naming the plan; lower case so it never collides with a user parameter. */
    public static final String PLAN_PARAM = "plan";
    /** CommandResult data: "running" while an apply is under way, "done" once it ended (ok or not). */
    public static final String STATE = "state";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    /** CommandResult data: the parameter at fault when a check or apply failed because of it. */
    public static final String FIELD = "field";

    private static final Pattern FOLDER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private SidecarPlans() {
    }

    public static boolean isSidecarPlan(String plan) {
        return ALL.contains(plan);
    }

    public static Set<String> required(String plan) {
        return switch (plan) {
            case ADD_LICENSE -> Set.of(LICENSE, LICENSE_NAME);
            case ADD_EXTENSION -> Set.of(URL);
            case ADD_CONFIG -> Set.of(PATH, FILE_CONTENT);
            case ENABLE_EXTENSION, DISABLE_EXTENSION, DELETE_EXTENSION -> Set.of(EXTENSION);
            default -> throw new PlanRequestException("plan", "unknown sidecar plan '" + plan + "'");
        };
    }

    public static Set<String> optional(String plan) {
        return ADD_EXTENSION.equals(plan) ? Set.of(SHA256) : Set.of();
    }

    /** Every check that needs no file system and no network. Throws naming the parameter and the reason. */
    public static void checkParameters(String plan, Map<String, String> params) {
        Set<String> required = required(plan);
        Set<String> known = new LinkedHashSet<>(required);
        known.addAll(optional(plan));
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw new PlanRequestException(name, "unknown parameter '" + name + "' for plan " + plan
                        + "; it takes " + known);
            }
        }
        for (String name : required) {
            String value = params.get(name);
            if (value == null || value.isBlank()) {
                throw new PlanRequestException(name, "missing parameter " + name + " for plan " + plan);
            }
        }
        switch (plan) {
            case ADD_LICENSE -> {
                decodeBase64(LICENSE, params.get(LICENSE));
                checkLicenseName(params.get(LICENSE_NAME));
            }
            case ADD_EXTENSION -> {
                String sha = params.get(SHA256);
                if (sha != null && !HEX_SHA256.matcher(sha.trim()).matches()) {
                    throw new PlanRequestException(SHA256, "SHA256 must be 64 hexadecimal digits but is '" + sha + "'");
                }
            }
            case ADD_CONFIG -> {
                ConfigPath.parse(params.get(PATH));
                decodeBase64(FILE_CONTENT, params.get(FILE_CONTENT));
            }
            default -> checkExtensionName(EXTENSION, params.get(EXTENSION));
        }
    }

    /**
     * Strict base64 after removing line breaks and blanks: {@code base64 file} wraps its output at 76 characters,
     * and a user pasting it must not be refused for that; anything else that is not base64 is refused.
     */
    public static byte[] decodeBase64(String field, String value) {
        String compact = value == null ? "" : value.replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new PlanRequestException(field, field + " is not valid base64: " + e.getMessage());
        }
    }

    public static void checkLicenseName(String name) {
        if (name.contains("/") || name.contains("\\")) {
            throw new PlanRequestException(LICENSE_NAME, "LICENSE_NAME must be a file name without a path but is '"
                    + name + "'");
        }
        if (!FOLDER_NAME.matcher(name).matches()) {
            throw new PlanRequestException(LICENSE_NAME, "LICENSE_NAME '" + name
                    + "' is not a plain file name (letters, digits, '.', '_', '-'; not starting with '.')");
        }
        if (name.endsWith(".") || name.contains("..")) {
            throw new PlanRequestException(LICENSE_NAME, "LICENSE_NAME '" + name + "' is not a plain file name");
        }
    }

    /**
     * The file the license is written to: HiveMQ reads only {@code *.lic} from its license folder, and the user guide
     * names licenses without the suffix ({@code LICENSE_NAME=new_license}), so it is added when missing.
     */
    public static String licenseFileName(String name) {
        return name.endsWith(".lic") ? name : name + ".lic";
    }

    /** An extension id as a folder name; the suite's own extension is not the user's to change. */
    public static void checkExtensionName(String field, String name) {
        if (name == null || !FOLDER_NAME.matcher(name).matches()) {
            throw new PlanRequestException(field, field + " must be an extension folder name (letters, digits, "
                    + "'.', '_', '-'; no path) but is '" + name + "'");
        }
        if (ExtensionSettings.EXTENSION_ID.equals(name)) {
            throw new PlanRequestException(field, "'" + name + "' is the suite's own extension and cannot be "
                    + "changed by a sidecar plan");
        }
    }

    public static String normalizeSha256(String sha) {
        return sha == null ? null : sha.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
