package io.hivemqsuite.scheduler.tls;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateAuthorityTest {

    @Test
    void nodeCertificatesCarryTheirNamesAndVerifyAgainstTheCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test CA");
        IssuedCertificate issued = ca.issue("hivemq-0-node.svc.autoip.dcos.thisdcos.directory",
                List.of("hivemq-0-node.svc.autoip.dcos.thisdcos.directory", "hivemq-0-node.svc.mesos"),
                List.of("127.0.5.1"), Duration.ofHours(2));
        List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(issued.certificateChainPem().getBytes(StandardCharsets.US_ASCII)))
                .stream().map(c -> (X509Certificate) c).toList();
        assertEquals(2, chain.size(), "node certificate + CA");
        chain.get(0).verify(ca.certificate().getPublicKey());
        List<Object> names = chain.get(0).getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList();
        assertTrue(names.containsAll(List.of("hivemq-0-node.svc.mesos", "127.0.5.1")), names.toString());
        long hours = Duration.ofMillis(issued.notAfterMs() - System.currentTimeMillis()).toMinutes();
        assertTrue(hours > 110 && hours <= 120, "valid about 2 h: " + hours + " min");
        assertTrue(issued.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 for the agent");
    }

    @Test
    void anExternalCaNeedsItsOwnKeyAndCaFlag() {
        CertificateAuthority one = CertificateAuthority.create("one");
        CertificateAuthority two = CertificateAuthority.create("two");
        CertificateAuthority again = CertificateAuthority.fromPem(one.certificatePem(), one.keyPem());
        again.issue("x", List.of("x"), List.of(), Duration.ofHours(1));
        IllegalArgumentException wrongKey = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.fromPem(one.certificatePem(), two.keyPem()));
        assertTrue(wrongKey.getMessage().contains("does not belong"), wrongKey.getMessage());
        IssuedCertificate leaf = one.issue("leaf", List.of("leaf"), List.of(), Duration.ofHours(1));
        IllegalArgumentException notCa = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.fromPem(leaf.certificateChainPem(), leaf.privateKeyPem()));
        assertTrue(notCa.getMessage().contains("not a CA"), notCa.getMessage());
    }
}
