package io.hivemqsuite.protocol.rbac;

import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The File RBAC extension's {@code extension-config.xml} ({@code mqtt.auth.rbac_extension_config}).
 *
 * @param reloadIntervalSeconds {@code <credentials-reload-interval>}: accepted and kept, but the suite's
 *                              extension checks the credentials file every second (see broker-extension README)
 * @param passwordType          {@code <password-type>} HASHED (default) or PLAIN
 * @param listenerNames         {@code <listener-names>}: when not empty, clients of other listeners are refused
 */
public record RbacExtensionConfig(int reloadIntervalSeconds, PasswordType passwordType, Set<String> listenerNames) {
    public static final RbacExtensionConfig DEFAULT = new RbacExtensionConfig(60, PasswordType.HASHED, Set.of());

    public RbacExtensionConfig {
        listenerNames = Set.copyOf(listenerNames);
    }

    public static RbacExtensionConfig parse(String xml, String field) {
        return parse(xml.getBytes(StandardCharsets.UTF_8), field);
    }

    /** @throws RbacConfigException naming {@code field} */
    public static RbacExtensionConfig parse(byte[] xml, String field) {
        Element root = RbacXml.root(xml, field, "extension-configuration");
        List<String> problems = new ArrayList<>();
        int interval = DEFAULT.reloadIntervalSeconds();
        String text = RbacXml.text(root, "credentials-reload-interval").map(String::trim).orElse(null);
        if (text != null) {
            try {
                interval = Integer.parseInt(text);
                if (interval < 1) {
                    problems.add("<credentials-reload-interval> must be at least 1 but is " + interval);
                }
            } catch (NumberFormatException e) {
                problems.add("<credentials-reload-interval> must be a number of seconds but is '" + text + "'");
            }
        }
        PasswordType type = RbacXml.enumValue(root, "password-type", PasswordType.class, PasswordType.HASHED,
                "extension configuration", problems);
        Set<String> listeners = new LinkedHashSet<>();
        for (Element name : RbacXml.wrapped(root, "listener-names", "listener-name")) {
            listeners.add(name.getTextContent().trim());
        }
        if (!problems.isEmpty()) {
            throw new RbacConfigException(field, problems);
        }
        return new RbacExtensionConfig(interval, type, listeners);
    }
}
