package io.hivemqsuite.scheduler.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.endpoint.DnsNames;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.FieldError;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.state.StateStore;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node certificates of the TLS listeners. The service's own CA is created once and kept in the state store
 * ({@code tls/ca}), so a restarted scheduler issues from the same CA and clients keep trusting it; an external CA
 * ({@code service.tls.ca_certificate_path} / {@code ca_key_path}) is read from its files instead. Each node's
 * current certificate (serial, end of validity) is recorded under {@code tls/nodes/<pod>} so that renewal knows
 * what is due.
 *
 * <p>Certificates reach a node two ways: written into {@code <nodeDir>/tls/} before its agent is launched (the
 * agent builds the broker's JKS keystore from them), and pushed to a running agent ({@code POST /v1/node/tls}),
 * which replaces the keystore in place: HiveMQ re-reads it without a restart.
 */
public final class ServiceCertificates {
    private static final Logger LOG = Logger.getLogger(ServiceCertificates.class);
    public static final String NODE_CERTIFICATE = "node.crt";
    public static final String NODE_KEY = "node.key";
    public static final String CA_CERTIFICATE = "ca.crt";

    private final StateStore store;
    private final LocalLayout layout;
    private volatile CertificateAuthority own;

    public ServiceCertificates(StateStore store, LocalLayout layout) {
        this.store = store;
        this.layout = layout;
    }

    /** The service's own CA, created and stored on first use. */
    public synchronized CertificateAuthority ownCa(String serviceDnsName) {
        if (own == null) {
            Optional<String> stored = store.read("tls/ca");
            if (stored.isPresent()) {
                JsonNode json = ControlJson.read(stored.get().getBytes(StandardCharsets.UTF_8), JsonNode.class);
                own = CertificateAuthority.fromPem(json.path("certificate").asText(), json.path("key").asText());
            } else {
                own = CertificateAuthority.create("hivemq-suite CA of " + serviceDnsName);
                ObjectNode json = ControlJson.mapper().createObjectNode()
                        .put("certificate", own.certificatePem()).put("key", own.keyPem());
                store.write("tls/ca", json.toString());
                LOG.infof("created the service CA of %s", serviceDnsName);
            }
        }
        return own;
    }

    /** The CA that issues for this spec: the external one when configured, else the service's own. */
    public CertificateAuthority ca(ServiceOptions spec) {
        ServiceOptions.Tls tls = spec.service().tls();
        if (tls.externalCa()) {
            return external(tls);
        }
        return ownCa(spec.service().dnsName());
    }

    /**
     * Checks an external CA of a spec before it is accepted.
     *
     * @throws OptionsException naming the path field at fault
     */
    public static void validate(ServiceOptions spec) {
        ServiceOptions.Tls tls = spec.service().tls();
        if (!tls.externalCa()) {
            return;
        }
        external(tls);
    }

    private static CertificateAuthority external(ServiceOptions.Tls tls) {
        String certificate = readFile(tls.caCertificatePath(), "service.tls.ca_certificate_path");
        String key = readFile(tls.caKeyPath(), "service.tls.ca_key_path");
        try {
            CertificateAuthority.parseCertificate(certificate);
        } catch (IllegalArgumentException e) {
            throw new OptionsException(List.of(new FieldError("service.tls.ca_certificate_path", e.getMessage())));
        }
        try {
            return CertificateAuthority.fromPem(certificate, key);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains("not a CA") ? "service.tls.ca_certificate_path"
                    : "service.tls.ca_key_path";
            throw new OptionsException(List.of(new FieldError(field, e.getMessage())));
        }
    }

    private static String readFile(String path, String field) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new OptionsException(List.of(new FieldError(field, "cannot read " + path + ": " + e)));
        }
    }

    /** The names a client may use to reach node i: both DNS names, its address, and every TLS VIP. */
    public static List<String> dnsNames(ServiceOptions spec, int index) {
        String svc = spec.service().dnsName();
        List<String> names = new ArrayList<>();
        names.add(DnsNames.autoip(svc, index));
        names.add(DnsNames.mesos(svc, index));
        for (Listener listener : Listener.values()) {
            if (listener.tls()) {
                names.add(DnsNames.vip(svc, listener));
            }
        }
        return names;
    }

    /** Issues node i's certificate for this spec and records it. */
    public IssuedCertificate issue(ServiceOptions spec, int index) {
        String svc = spec.service().dnsName();
        IssuedCertificate issued = ca(spec).issue(DnsNames.autoip(svc, index), dnsNames(spec, index),
                List.of(layout.nodeAddress(index), layout.vipAddress()),
                Duration.ofHours(spec.service().tls().certificateValidityHours()));
        ObjectNode record = ControlJson.mapper().createObjectNode()
                .put("serial", issued.serialHex()).put("notAfter", issued.notAfterMs())
                .put("issuedAt", System.currentTimeMillis());
        store.write("tls/nodes/" + PodNames.pod(index), record.toString());
        return issued;
    }

    /** Before a launch: node i's files in {@code <nodeDir>/tls/}, fresh from the current CA. */
    public IssuedCertificate provision(ServiceOptions spec, int index) {
        IssuedCertificate issued = issue(spec, index);
        Path dir = layout.nodeDir(index).resolve("tls");
        try {
            Files.createDirectories(dir);
            write(dir.resolve(NODE_KEY), issued.privateKeyPem(), "rw-------");
            write(dir.resolve(NODE_CERTIFICATE), issued.certificateChainPem(), "rw-r-----");
            write(dir.resolve(CA_CERTIFICATE), issued.caPem(), "rw-r-----");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate of " + PodNames.pod(index) + ": " + e, e);
        }
        return issued;
    }

    /** Whether node i's recorded certificate has less than a third of its validity left (or none is known). */
    public boolean renewalDue(ServiceOptions spec, int index, long nowMs) {
        Optional<String> record = store.read("tls/nodes/" + PodNames.pod(index));
        if (record.isEmpty()) {
            return false;
        }
        JsonNode json = ControlJson.read(record.get().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        long notAfter = json.path("notAfter").asLong();
        long issuedAt = json.path("issuedAt").asLong(notAfter
                - Duration.ofHours(spec.service().tls().certificateValidityHours()).toMillis());
        return nowMs >= notAfter - (notAfter - issuedAt) / 3;
    }

    public Optional<String> currentSerial(int index) {
        return store.read("tls/nodes/" + PodNames.pod(index)).map(r -> ControlJson.read(
                r.getBytes(StandardCharsets.UTF_8), JsonNode.class).path("serial").asText());
    }

    private static void write(Path file, String content, String permissions) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
