package io.hivemqsuite.agent.tls;

import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer.RenderedConfig;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigSchema;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS listeners on a JKS keystore made from real PEM files (openssl), validated against the broker's config.xsd. */
public class TlsListenersTest {

    /** A self-signed EC certificate and its PKCS#8 key, made by the openssl binary into {@code dir/tls}. */
    public static void certificate(Path nodeDir, String cn) throws IOException, InterruptedException {
        Path tls = Files.createDirectories(nodeDir.resolve("tls"));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", tls.resolve("node.key").toString(), "-out",
                tls.resolve("node.crt").toString(), "-days", "1", "-subj", "/CN=" + cn)
                .redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), out);
    }

    private static ServiceOptions spec(String listeners) {
        return new OptionsReader().read("{\"hivemq\":{\"listener_configuration\":{" + listeners + "}}}");
    }

    @Test
    void tlsListenersValidateAgainstConfigXsdAndUseTheKeystore(@TempDir Path nodeDir) throws Exception {
        certificate(nodeDir, "node-a");
        ServiceOptions options = spec("\"mqtt_tls_enabled\":true,\"websocket_enabled\":true,\"websocket_tls_enabled\":true");
        RenderedConfig config = TlsListeners.complete(BrokerConfigRenderer.renderConfig(options, "127.0.66.9"),
                options, "127.0.66.9", nodeDir);
        Path target = nodeDir.resolve("config.xml");
        BrokerConfigSchema.fromBrokerLib(LocalDistribution.fromEnvironment().brokerLibDir())
                .validateAndWrite(config.xml(), target);
        String xml = Files.readString(target);
        assertTrue(xml.contains("<tls-tcp-listener>") && xml.contains("<port>8883</port>"), xml);
        assertTrue(xml.contains("<tls-websocket-listener>") && xml.contains("<port>8001</port>"), xml);
        NodeKeystore keystore = new NodeKeystore(nodeDir);
        assertTrue(xml.contains("<path>" + keystore.keystore() + "</path>"), xml);
        assertEquals(List.of(Listener.MQTT, Listener.MQTT_TLS, Listener.WEBSOCKET, Listener.WEBSOCKET_TLS),
                config.listeners().stream().map(l -> l.listener()).toList());
        assertTrue(config.omitted().isEmpty());

        KeyStore jks = KeyStore.getInstance("JKS");
        try (InputStream in = Files.newInputStream(keystore.keystore())) {
            jks.load(in, keystore.password().toCharArray());
        }
        assertInstanceOf(PrivateKey.class, jks.getKey(NodeKeystore.ALIAS, keystore.password().toCharArray()));
        assertTrue(((X509Certificate) jks.getCertificate(NodeKeystore.ALIAS)).getSubjectX500Principal().getName()
                .contains("node-a"));
    }

    @Test
    void aReplacedCertificateKeepsThePassword(@TempDir Path nodeDir) throws Exception {
        certificate(nodeDir, "first");
        NodeKeystore keystore = new NodeKeystore(nodeDir);
        NodeKeystore.Installed first = keystore.installFromFiles();
        String password = keystore.password();
        Path other = Files.createTempDirectory("tls-second");
        certificate(other, "second");
        NodeKeystore.Installed second = keystore.install(Files.readString(other.resolve("tls/node.crt")),
                Files.readString(other.resolve("tls/node.key")));
        assertNotEquals(first.serialHex(), second.serialHex());
        assertTrue(second.subject().contains("second"));
        assertEquals(password, keystore.password(), "HiveMQ reloads the keystore with the password of its config");
    }

    @Test
    void noCertificateOrBadPemIsRefused(@TempDir Path nodeDir) {
        ServiceOptions options = spec("\"mqtt_tls_enabled\":true");
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> TlsListeners.complete(
                BrokerConfigRenderer.renderConfig(options, "127.0.66.9"), options, "127.0.66.9", nodeDir));
        assertTrue(missing.getMessage().contains("node.crt"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new NodeKeystore(nodeDir).install("not a certificate", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
        assertTrue(bad.getMessage().startsWith("certificate"), bad.getMessage());
    }

    @Test
    void withoutTlsTheConfigIsUnchanged(@TempDir Path nodeDir) {
        ServiceOptions options = spec("\"websocket_enabled\":true");
        RenderedConfig plain = BrokerConfigRenderer.renderConfig(options, "127.0.66.9");
        assertEquals(plain, TlsListeners.complete(plain, options, "127.0.66.9", nodeDir));
    }
}
