package io.hivemqsuite.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The broker's TLS keystore, {@code <nodeDir>/tls/keystore.jks}: JKS, because HiveMQ CE reads nothing else. Built
 * from the PEM files the scheduler puts in {@code <nodeDir>/tls/} ({@code node.crt} = node certificate + CA,
 * {@code node.key} = PKCS#8 key) or that it pushes later. The password is made once per node and kept
 * ({@code keystore.pass}): HiveMQ re-reads a changed keystore with the password of its config, so a renewed
 * keystore must keep it. Files are replaced by rename, so the broker never reads half a keystore.
 */
public final class NodeKeystore {
    public static final String ALIAS = "node";

    private final Path dir;

    public NodeKeystore(Path nodeDir) {
        this.dir = nodeDir.resolve("tls");
    }

    public Path keystore() {
        return dir.resolve("keystore.jks");
    }

    public Path certificateFile() {
        return dir.resolve("node.crt");
    }

    public Path keyFile() {
        return dir.resolve("node.key");
    }

    /** What a keystore holds, for the status and the REST answer. */
    public record Installed(String serialHex, long notAfterMs, String subject) {
    }

    public String password() {
        Path file = dir.resolve("keystore.pass");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(dir);
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            writeAtomically(file, password.getBytes(StandardCharsets.US_ASCII));
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the keystore password in " + file, e);
        }
    }

    /** Builds the keystore from the PEM files the scheduler left before the launch. */
    public Installed installFromFiles() {
        if (!Files.isRegularFile(certificateFile()) || !Files.isRegularFile(keyFile())) {
            throw new IllegalStateException("a TLS listener is enabled but the node has no certificate ("
                    + certificateFile() + ", " + keyFile() + " missing)");
        }
        try {
            return install(Files.readString(certificateFile()), Files.readString(keyFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the node certificate in " + dir, e);
        }
    }

    /**
     * Writes the keystore (and the PEM files it came from) in place.
     *
     * @throws IllegalArgumentException when the PEM text is not a certificate chain and a matching key
     */
    public synchronized Installed install(String certificateChainPem, String privateKeyPem) {
        List<X509Certificate> chain = certificates(certificateChainPem);
        PrivateKey key = privateKey(privateKeyPem);
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            char[] password = password().toCharArray();
            store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".keystore.jks.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, keystore(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (!certificateChainPem.equals(readOrEmpty(certificateFile()))) {
                writeAtomically(keyFile(), privateKeyPem.getBytes(StandardCharsets.US_ASCII));
                writeAtomically(certificateFile(), certificateChainPem.getBytes(StandardCharsets.US_ASCII));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate and key do not make a keystore: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + keystore(), e);
        }
        X509Certificate leaf = chain.get(0);
        return new Installed(leaf.getSerialNumber().toString(16), leaf.getNotAfter().getTime(),
                leaf.getSubjectX500Principal().getName());
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(c -> (X509Certificate) c).toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("certificate: no PEM certificate found");
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("certificate: not a PEM certificate chain: " + e.getMessage());
        }
    }

    static PrivateKey privateKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        if (!pem.contains("BEGIN PRIVATE KEY") || base64.isEmpty()) {
            throw new IllegalArgumentException("privateKey: expected an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("privateKey: not base64: " + e.getMessage());
        }
        for (String algorithm : new String[]{"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("privateKey: neither an EC nor an RSA PKCS#8 key");
    }

    private static String readOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
