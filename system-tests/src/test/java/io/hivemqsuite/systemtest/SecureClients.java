package io.hivemqsuite.systemtest;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** Outside clients of the TLS listeners: they trust only the CA the service printed. */
final class SecureClients {
    private SecureClients() {
    }

    static SSLContext trusting(String caPem) {
        try {
            Certificate ca = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("service-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the printed CA: " + e.getMessage(), e);
        }
    }

    /** Accepts the server only when its (CA-verified) certificate names {@code name} as a DNS SAN. */
    static HostnameVerifier requiringName(String name) {
        return (host, session) -> sanNames(session).contains(name);
    }

    static List<String> sanNames(SSLSession session) {
        try {
            X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans.stream().filter(s -> (Integer) s.get(0) == 2)
                    .map(s -> (String) s.get(1)).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    /**
     * A Paho MQTT 5 client over TLS to {@code address:port} (resolved from {@code name} by the test), verifying the
     * chain against the CA and that {@code name} is in the certificate.
     */
    static MqttAsyncClient connectTls(String address, int port, String name, String caPem, String clientId)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("ssl://" + address + ":" + port, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(trusting(caPem).getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        options.setSSLHostnameVerifier(requiringName(name));
        options.setConnectionTimeout(10);
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    static MqttAsyncClient connectWebSocket(String address, int port, String clientId) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("ws://" + address + ":" + port + "/mqtt", clientId,
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(10);
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    /** The serial (hex) of the certificate the listener serves now, from a fresh handshake. */
    static String servedSerial(String address, int port, String caPem) throws IOException {
        try (SSLSocket socket = (SSLSocket) trusting(caPem).getSocketFactory().createSocket(address, port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
        }
    }
}
