package io.hivemqsuite.protocol.brokerconfig;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import io.hivemqsuite.protocol.options.EncodedOptions;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code advanced.configuration_override}: a config.xml template in the DC/OS package's form. Two kinds of
 * placeholder, as the package had them: Mustache tags ({@code {{#HIVEMQ_TLS_LISTENER_ENABLED}}...{{/...}}},
 * {@code {{MESOS_SANDBOX}}}), which the package's bootstrap rendered, and {@code ${HIVEMQ_MQTT_PORT}}, which the
 * package's broker resolved from its environment. Both are filled here from the spec, by a real Mustache engine and
 * then by name; a {@code ${NAME}} this suite does not know is refused instead of left for the broker to fail on.
 */
public final class ConfigTemplate {
    public static final String FIELD = "advanced.configuration_override";

    /**
     * SHA-256 of the decoded default template of the DC/OS package (universe {@code hivemq/1}). Every options file of
     * that package carries it (the key is required there), yet it needs HiveMQ Enterprise and writes
     * {@code --1} for the default max_connections; it therefore means "no override".
     */
    static final String PACKAGE_DEFAULT_SHA256 = "550686ebad7836dc8694dce79f485ac5001fdf61fbcec455e0d9253293fa1e38";

    private static final Pattern DOLLAR = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");

    private final Mustache mustache;

    private ConfigTemplate(Mustache mustache) {
        this.mustache = mustache;
    }

    /**
     * The template of an options value, or empty when the value means "use the rendered config": empty, or the
     * package's default template.
     *
     * @throws IllegalArgumentException (with the reason) when it is not base64, not UTF-8 or not a Mustache template
     */
    public static Optional<ConfigTemplate> of(String base64) {
        if (base64 == null || base64.isBlank()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = EncodedOptions.decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid base64: " + e.getMessage());
        }
        if (PACKAGE_DEFAULT_SHA256.equals(sha256(bytes))) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            return Optional.of(new ConfigTemplate(new DefaultMustacheFactory().compile(new StringReader(text), FIELD)));
        } catch (MustacheException e) {
            throw new IllegalArgumentException("is not a valid Mustache template: " + e.getMessage());
        }
    }

    /**
     * The config.xml for these values.
     *
     * @throws IllegalArgumentException naming the {@code ${...}} placeholders that have no value
     */
    public String render(Map<String, Object> values) {
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, values).flush();
        } catch (MustacheException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot be rendered: " + e.getMessage());
        }
        Matcher matcher = DOLLAR.matcher(out.toString());
        StringBuilder result = new StringBuilder();
        TreeSet<String> unknown = new TreeSet<>();
        while (matcher.find()) {
            Object value = values.get(matcher.group(1));
            if (value == null) {
                unknown.add(matcher.group(0));
                value = matcher.group(0);
            } else {
                value = BrokerConfigRenderer.escape(String.valueOf(value));
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(result);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("uses placeholders this service does not fill: " + unknown
                    + " (known: " + new TreeSet<>(values.keySet()) + ")");
        }
        return result.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
