package io.hivemqsuite.protocol.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the node agent tells the suite's broker extension, in {@code suite.properties} inside the extension's
 * folder: the agent writes it before it starts the broker, the extension reads it once at start.
 *
 * @param serviceDnsName          the service's DNS name, the second level of its control topics
 * @param internalCredentialSha256 the SHA-256 (hex) of the internal clients' secret; never the secret itself
 * @param anonymousAllowed        whether outside clients connect without credentials (evaluation mode)
 * @param routing                 the cross-node router's settings; {@link Routing#OFF} when absent from the file
 * @param metrics                 the metrics snapshots' settings; {@link Metrics#OFF} when absent from the file
 * @param rbacEnabled             users and roles ({@code mqtt.auth.enable_rbac}): outside clients must be a user of
 *                                the credentials file ({@code RbacFiles}) and get their roles' permissions only;
 *                                anonymous clients are refused whatever {@code anonymousAllowed} says
 */
public record ExtensionSettings(String serviceDnsName, String internalCredentialSha256, boolean anonymousAllowed,
                                Routing routing, Metrics metrics, boolean rbacEnabled) {
    /** The extension's id, which is also its folder name under {@code extensions/}. */
    public static final String EXTENSION_ID = "hivemq-suite-extension";
    public static final String FILE_NAME = "suite.properties";

    private static final String SERVICE = "service.dns-name";
    private static final String CREDENTIAL = "internal.credential.sha256";
    private static final String ANONYMOUS = "anonymous.allowed";
    private static final String NODE_INDEX = "node.index";
    private static final String ROUTING = "routing.enabled";
    private static final String DIGEST = "routing.subscription-digest";
    private static final String QUEUE_MESSAGES = "routing.peer-queue.max-messages";
    private static final String QUEUE_BYTES = "routing.peer-queue.max-bytes";
    private static final String METRICS = "metrics.enabled";
    private static final String METRICS_INTERVAL = "metrics.interval-seconds";
    private static final String RBAC = "rbac.enabled";

    /**
     * The router's part. Its peers are not here: they change while the broker runs, so they live in their own
     * file ({@code PeerTable}) that the extension re-reads.
     *
     * @param enabled              whether the extension routes publishes to and from peer nodes
     * @param nodeIndex            this broker's node index (its name among the peers)
     * @param subscriptionDigest   forward only to peers whose subscription digest matches (false: to every peer)
     * @param peerQueueMaxMessages per-peer queue bound in messages
     * @param peerQueueMaxBytes    per-peer queue bound in payload bytes
     */
    public record Routing(boolean enabled, int nodeIndex, boolean subscriptionDigest, int peerQueueMaxMessages,
                          long peerQueueMaxBytes) {
        public static final Routing OFF = new Routing(false, 0, true, 100_000, 64L * 1024 * 1024);

        public Routing {
            if (nodeIndex < 0) {
                throw new IllegalArgumentException(NODE_INDEX + " must not be negative");
            }
            if (peerQueueMaxMessages < 1 || peerQueueMaxBytes < 1) {
                throw new IllegalArgumentException("routing.peer-queue bounds must be positive");
            }
        }
    }

    /**
     * The broker's metrics on the control topic ({@code hivemq.metrics_enabled}, {@code hivemq.metrics_interval}).
     *
     * @param enabled         whether the extension publishes a {@code MetricsSnapshot} of its broker
     * @param nodeIndex       this broker's node index (the snapshot's node)
     * @param intervalSeconds seconds between snapshots
     */
    public record Metrics(boolean enabled, int nodeIndex, int intervalSeconds) {
        public static final Metrics OFF = new Metrics(false, 0, 5);

        public Metrics {
            if (nodeIndex < 0) {
                throw new IllegalArgumentException(NODE_INDEX + " must not be negative");
            }
            if (intervalSeconds < 1 || intervalSeconds > 3600) {
                throw new IllegalArgumentException(METRICS_INTERVAL + " must be within 1..3600 but is " + intervalSeconds);
            }
        }
    }

    /** Settings of a broker that does not route (a single node, or a natively clustered broker). */
    public ExtensionSettings(String serviceDnsName, String internalCredentialSha256, boolean anonymousAllowed) {
        this(serviceDnsName, internalCredentialSha256, anonymousAllowed, Routing.OFF, Metrics.OFF);
    }

    public ExtensionSettings(String serviceDnsName, String internalCredentialSha256, boolean anonymousAllowed,
                             Routing routing) {
        this(serviceDnsName, internalCredentialSha256, anonymousAllowed, routing, Metrics.OFF);
    }

    public ExtensionSettings(String serviceDnsName, String internalCredentialSha256, boolean anonymousAllowed,
                             Routing routing, Metrics metrics) {
        this(serviceDnsName, internalCredentialSha256, anonymousAllowed, routing, metrics, false);
    }

    public ExtensionSettings {
        if (serviceDnsName == null || serviceDnsName.isBlank()) {
            throw new IllegalArgumentException(SERVICE + " must not be empty");
        }
        if (internalCredentialSha256 == null || !internalCredentialSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(CREDENTIAL + " must be 64 lower-case hex digits");
        }
        if (routing == null) {
            routing = Routing.OFF;
        }
        if (metrics == null) {
            metrics = Metrics.OFF;
        }
    }

    public static ExtensionSettings read(Path extensionFolder) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(extensionFolder.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + extensionFolder.resolve(FILE_NAME), e);
        }
        Routing routing = Routing.OFF;
        if (Boolean.parseBoolean(properties.getProperty(ROUTING, "false"))) {
            routing = new Routing(true, integer(properties, NODE_INDEX, -1),
                    Boolean.parseBoolean(properties.getProperty(DIGEST, "true")),
                    integer(properties, QUEUE_MESSAGES, Routing.OFF.peerQueueMaxMessages()),
                    Long.parseLong(properties.getProperty(QUEUE_BYTES, Long.toString(Routing.OFF.peerQueueMaxBytes())).trim()));
        }
        Metrics metrics = Metrics.OFF;
        if (Boolean.parseBoolean(properties.getProperty(METRICS, "false"))) {
            metrics = new Metrics(true, integer(properties, NODE_INDEX, -1),
                    integer(properties, METRICS_INTERVAL, Metrics.OFF.intervalSeconds()));
        }
        return new ExtensionSettings(properties.getProperty(SERVICE), properties.getProperty(CREDENTIAL),
                Boolean.parseBoolean(properties.getProperty(ANONYMOUS, "true")), routing, metrics,
                Boolean.parseBoolean(properties.getProperty(RBAC, "false")));
    }

    private static int integer(Properties properties, String key, int fallback) {
        String value = properties.getProperty(key);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer but is '" + value + "'");
        }
    }

    /** Written to a temporary file and renamed, so a starting broker never reads half a file. */
    public void write(Path extensionFolder) {
        Properties properties = new Properties();
        properties.setProperty(SERVICE, serviceDnsName);
        properties.setProperty(CREDENTIAL, internalCredentialSha256);
        properties.setProperty(ANONYMOUS, Boolean.toString(anonymousAllowed));
        if (routing.enabled()) {
            properties.setProperty(ROUTING, "true");
            properties.setProperty(NODE_INDEX, Integer.toString(routing.nodeIndex()));
            properties.setProperty(DIGEST, Boolean.toString(routing.subscriptionDigest()));
            properties.setProperty(QUEUE_MESSAGES, Integer.toString(routing.peerQueueMaxMessages()));
            properties.setProperty(QUEUE_BYTES, Long.toString(routing.peerQueueMaxBytes()));
        }
        if (metrics.enabled()) {
            properties.setProperty(METRICS, "true");
            properties.setProperty(NODE_INDEX, Integer.toString(metrics.nodeIndex()));
            properties.setProperty(METRICS_INTERVAL, Integer.toString(metrics.intervalSeconds()));
        }
        if (rbacEnabled) {
            properties.setProperty(RBAC, "true");
        }
        Path target = extensionFolder.resolve(FILE_NAME);
        Path tmp = extensionFolder.resolve(FILE_NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            properties.store(out, "written by the node agent; read by the broker extension at start");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
