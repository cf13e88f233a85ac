package io.hivemqsuite.servicekit.settings;

import io.hivemqsuite.archive.ArchiveFetcher;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code suite.*} settings the launcher gives more than one service, defined once (README of each service for
 * which it needs). Each service's own keys are in its own mapping. Keys that one of the services does without are
 * optional here; a service that needs one asks for it with {@link #required(Optional, String)}, which names the key.
 */
@ConfigMapping(prefix = "suite")
public interface SuiteSettings {

    /** {@code suite.service-name}: the service as installed ({@code /dev/hivemq} allowed). */
    Optional<String> serviceName();

    /** {@code suite.slot}: the service's loopback slot ({@code 127.0.<slot>.x}). */
    OptionalInt slot();

    /** {@code suite.service-dir}: the service's folder under the suite home. */
    Optional<String> serviceDir();

    /** {@code suite.token-file}: the operator's API token (read with {@link SuiteSecrets}). */
    Optional<String> tokenFile();

    /** {@code suite.credential-file}: the internal credential (read with {@link SuiteSecrets}). */
    Optional<String> credentialFile();

    /** {@code suite.scheduler-url}: where the scheduler's REST API answers, when not at the slot's default. */
    Optional<String> schedulerUrl();

    /**
     * {@code suite.sidecar-url}: where sidecar-svc answers, when not at the slot's default. Given explicitly to an
     * agent, it says sidecar-svc is part of the suite (see the agent's {@code SidecarSettings}).
     */
    Optional<String> sidecarUrl();

    /** {@code suite.endpoint-url}: where endpoint-svc answers, when not at the slot's default. */
    Optional<String> endpointUrl();

    /** {@code suite.spec-file}: the completed options JSON. */
    Optional<String> specFile();

    ZooKeeper zookeeper();

    /**
     * {@code suite.node-namespaces}: whether the nodes run in their own network namespaces (the install option
     * {@code service.local_network_namespaces}; see local-layout's {@code LocalLayout}), which moves their addresses.
     */
    @WithDefault("false")
    boolean nodeNamespaces();

    /** {@code suite.allow-file-urls}: whether sidecar archives may come from {@code file:} URLs (tests, hand setups). */
    @WithDefault("false")
    boolean allowFileUrls();

    /** {@code suite.max-archive-bytes}: the largest sidecar archive fetched. */
    @WithDefault("" + ArchiveFetcher.DEFAULT_MAX_BYTES)
    long maxArchiveBytes();

    interface ZooKeeper {
        /** {@code suite.zookeeper.connect}: the state store, when not the scheduler's embedded one. */
        Optional<String> connect();
    }

    /** {@code suite.service-name}, which every service but the node agent needs. */
    default String requiredServiceName() {
        return required(serviceName(), "suite.service-name");
    }

    /** The service name without its folders ({@code /dev/hivemq} -> {@code devhivemq}): folder, ZooKeeper and DNS name. */
    default String servicePathName() {
        return requiredServiceName().replace("/", "");
    }

    /** {@code suite.slot}, which every service but the node agent needs. */
    default int requiredSlot() {
        if (slot().isEmpty()) {
            throw new IllegalStateException("setting suite.slot is missing");
        }
        return slot().getAsInt();
    }

    /** {@code suite.scheduler-url} when given, else where the slot's scheduler answers (local mode). */
    default String schedulerUrlOrSlotDefault() {
        return schedulerUrl().filter(s -> !s.isBlank()).orElse(slotUrl(requiredSlot(), LocalLayout.SCHEDULER_HOST,
                LocalLayout.SCHEDULER_PORT));
    }

    /** {@code suite.sidecar-url} when given, else where the slot's sidecar-svc answers (local mode). */
    default String sidecarUrlOrSlotDefault() {
        // with node namespaces sidecar-svc listens on the nodes' bridge, where the agents reach it
        return sidecarUrl().filter(s -> !s.isBlank()).orElse(
                new LocalLayout(Path.of(""), "", requiredSlot(), nodeNamespaces()).sidecarUrl());
    }

    /** {@code suite.endpoint-url} when given, else where the slot's endpoint-svc answers (local mode). */
    default String endpointUrlOrSlotDefault() {
        return endpointUrl().filter(s -> !s.isBlank())
                .orElse(slotUrl(requiredSlot(), LocalLayout.ENDPOINT_HOST, LocalLayout.ENDPOINT_PORT));
    }

    private static String slotUrl(int slot, int host, int port) {
        return "http://127.0." + slot + "." + host + ":" + port;
    }

    /** The address of node {@code index} of the slot (local mode). */
    default String nodeAddress(int index) {
        return LocalLayout.nodeAddress(requiredSlot(), index, nodeNamespaces());
    }

    /** The value of an optional key a service cannot do without; a missing or blank one fails naming the key. */
    static String required(Optional<String> value, String key) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException("setting " + key
                + " is missing"));
    }
}
