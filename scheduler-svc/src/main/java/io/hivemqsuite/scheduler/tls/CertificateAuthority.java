package io.hivemqsuite.scheduler.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A certificate authority that issues the nodes' TLS server certificates: the service's own (created once, kept in
 * the state store) or one the operator provides as PEM files. Node keys are EC P-256: cheap to make on every
 * launch, and served by HiveMQ's JKS keystore like RSA keys.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A new self-signed CA, valid ten years: the service keeps it for its whole life. */
    public static CertificateAuthority create(String commonName) {
        try {
            KeyPair pair = ecKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))),
                    subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the service CA: " + e.getMessage(), e);
        }
    }

    /**
     * The CA from PEM text.
     *
     * @throws IllegalArgumentException naming what is wrong (not a certificate, not a CA, key does not match)
     */
    public static CertificateAuthority fromPem(String certificatePem, String keyPem) {
        X509Certificate certificate = parseCertificate(certificatePem);
        PrivateKey key = parseKey(keyPem);
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the certificate " + certificate.getSubjectX500Principal()
                    + " is not a CA certificate (basicConstraints CA:true missing)");
        }
        try {
            // Signing and verifying one message proves the key belongs to the certificate.
            ContentSigner signer = new JcaContentSignerBuilder(algorithm(key)).build(key);
            X509CertificateHolder probe = new org.bouncycastle.cert.X509v3CertificateBuilder(new X500Name("CN=probe"),
                    BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 60_000), new X500Name("CN=probe"),
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()))
                    .build(signer);
            new JcaX509CertificateConverter().getCertificate(probe).verify(certificate.getPublicKey());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalArgumentException("the key does not belong to the CA certificate "
                    + certificate.getSubjectX500Principal());
        }
        return new CertificateAuthority(certificate, key);
    }

    /** A server certificate for a node, its chain ending in this CA. */
    public IssuedCertificate issue(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                   Duration validity) {
        try {
            KeyPair pair = ecKeyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(validity);
            if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
                notAfter = certificate.getNotAfter().toInstant();
            }
            BigInteger serial = serial();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(notAfter),
                    new X500Name("CN=" + commonName), pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(certificate));
            X509Certificate leaf = sign(builder, key);
            return new IssuedCertificate(pem(leaf) + pem(certificate), pem(pair.getPrivate()), pem(certificate),
                    serial.toString(16), leaf.getNotAfter().toInstant().toEpochMilli());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    public String certificatePem() {
        return pem(certificate);
    }

    public String keyPem() {
        return pem(key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm(signingKey)).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static String algorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("CA keys must be RSA or EC, not " + key.getAlgorithm());
        };
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    static X509Certificate parseCertificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a readable PEM certificate: " + e.getMessage());
        }
    }

    static PrivateKey parseKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("no unencrypted PEM private key found");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable PEM private key: " + e.getMessage());
        }
    }

    static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey privateKey) {
                // PKCS#8 ("BEGIN PRIVATE KEY"): the agent reads it with the JDK alone.
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(privateKey, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
