package io.hivemqsuite.protocol.options;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HiveMQ Community Edition releases this suite ships ({@code hivemq.version}): the options schema's enum lists
 * them and its default is the current one; the build puts each one's classpath where
 * {@code LocalDistribution.brokerLibDir(String)} (local-layout) finds it.
 *
 * <p>Which change of release an update may make: any upgrade (a broker migrates an older data folder at start), and a
 * downgrade only to a release with the same data format, because a broker cannot read persistence files written in a
 * newer format than its own. The data format of a release is the set of versions its local persistences write;
 * {@link #DATA_FORMATS} records them per shipped release, and a test reads them back from the shipped jars.
 */
public final class BrokerVersions {
    public static final String FIELD = "hivemq.version";

    /**
     * Per release: persistence name -> the version string it writes into the data folder. 2025.4 and 2025.5 write the
     * same formats, so a rollback from 2025.5 to 2025.4 is safe.
     */
    static final Map<String, Map<String, String>> DATA_FORMATS = Map.of(
            "2025.4", format44(),
            "2025.5", format44());

    private BrokerVersions() {
    }

    /** The formats 2025.4 and 2025.5 write (their jars' {@code PERSISTENCE_VERSION} constants, Xodus and RocksDB). */
    private static Map<String, String> format44() {
        return Map.of("client_session", "040000", "client_session_subscriptions", "040000",
                "client_queue", "040500", "retained_messages", "040500", "publish_payload", "040500",
                "retained_messages_rocksdb", "040500_R", "publish_payload_rocksdb", "040500_R");
    }

    /** The shipped releases, oldest first. */
    public static List<String> shipped() {
        List<String> versions = new ArrayList<>();
        OptionsSchema.packaged().rule(FIELD).path("enum").forEach(v -> versions.add(v.asText()));
        versions.sort(BrokerVersions::compare);
        return List.copyOf(versions);
    }

    /** The release the build resolved as current: {@code hivemq.version}'s default. */
    public static String current() {
        return OptionsSchema.packaged().rule(FIELD).path("default").asText();
    }

    /** What a shipped release writes into its data folder (persistence name -> version); empty for another release. */
    public static Optional<Map<String, String>> dataFormat(String version) {
        return Optional.ofNullable(DATA_FORMATS.get(version));
    }

    /**
     * Why the brokers cannot go from one release to another, or empty when they can. Both releases are known to the
     * schema by then (its enum refused any other).
     */
    public static Optional<FieldError> refusal(String from, String to) {
        return refusal(from, to, DATA_FORMATS);
    }

    static Optional<FieldError> refusal(String from, String to, Map<String, Map<String, String>> formats) {
        if (from == null || from.equals(to) || compare(to, from) > 0) {
            return Optional.empty();
        }
        Optional<Map<String, String>> before = Optional.ofNullable(formats.get(from));
        Optional<Map<String, String>> after = Optional.ofNullable(formats.get(to));
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.of(new FieldError(FIELD, "cannot downgrade from " + from + " to " + to
                    + ": the data format of " + (before.isEmpty() ? from : to) + " is not known to this suite, so "
                    + "its data folders might not be readable by " + to));
        }
        if (!before.get().equals(after.get())) {
            List<String> differing = new ArrayList<>();
            before.get().forEach((name, v) -> {
                if (!v.equals(after.get().get(name))) {
                    differing.add(name + " " + v + " in " + from + ", " + after.get().get(name) + " in " + to);
                }
            });
            return Optional.of(new FieldError(FIELD, "cannot downgrade from " + from + " to " + to
                    + ": the data format differs (" + String.join("; ", differing) + ") and " + to
                    + " cannot read data folders written by " + from));
        }
        return Optional.empty();
    }

    /** Orders releases by their numbers: 2025.10 after 2025.9. */
    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? number(x[i]) : 0;
            int q = i < y.length ? number(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int number(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
