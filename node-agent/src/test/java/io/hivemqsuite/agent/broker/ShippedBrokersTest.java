package io.hivemqsuite.agent.broker;

import io.hivemqsuite.protocol.brokerconfig.BrokerConfigSchema;
import io.hivemqsuite.protocol.options.BrokerVersions;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every release the options offer ({@code hivemq.version}) is in the build, and the data formats that decide which
 * rollbacks an update allows are the ones its jar really writes: a new release with a new format fails here until
 * {@link BrokerVersions} records it.
 */
class ShippedBrokersTest {
    private static final Map<String, String> FORMAT_CLASSES = Map.of(
            "client_session", "com.hivemq.persistence.local.xodus.clientsession.ClientSessionXodusLocalPersistence",
            "client_session_subscriptions",
            "com.hivemq.persistence.local.xodus.clientsession.ClientSessionSubscriptionXodusLocalPersistence",
            "client_queue", "com.hivemq.persistence.clientqueue.ClientQueueXodusLocalPersistence",
            "retained_messages", "com.hivemq.persistence.local.xodus.RetainedMessageXodusLocalPersistence",
            "publish_payload", "com.hivemq.persistence.payload.PublishPayloadXodusLocalPersistence",
            "retained_messages_rocksdb", "com.hivemq.persistence.local.xodus.RetainedMessageRocksDBLocalPersistence",
            "publish_payload_rocksdb", "com.hivemq.persistence.payload.PublishPayloadRocksDBLocalPersistence");

    @Test
    void everyShippedReleaseHasItsClasspathAndItsRecordedDataFormat() throws Exception {
        LocalDistribution dist = LocalDistribution.fromEnvironment();
        for (String version : BrokerVersions.shipped()) {
            Path lib = dist.brokerLibDir(version);
            assertEquals(version, BrokerConfigSchema.brokerVersion(lib), "the jar in " + lib);
            assertEquals(new TreeMap<>(BrokerVersions.dataFormat(version).orElseThrow()), formatOf(lib),
                    "the data format " + version + " writes");
        }
    }

    private static Map<String, String> formatOf(Path lib) throws Exception {
        List<URL> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).map(ShippedBrokersTest::url).toList();
        }
        Map<String, String> format = new TreeMap<>();
        try (URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), null)) {
            for (Map.Entry<String, String> e : FORMAT_CLASSES.entrySet()) {
                Class<?> type = Class.forName(e.getValue(), false, loader);
                format.put(e.getKey(), (String) type.getField("PERSISTENCE_VERSION").get(null));
            }
        }
        return format;
    }

    private static URL url(Path file) {
        try {
            return file.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
