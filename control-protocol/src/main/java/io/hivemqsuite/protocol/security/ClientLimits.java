package io.hivemqsuite.protocol.security;

import io.hivemqsuite.protocol.dist.AtomicFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The options that limit outside clients but must not limit the suite's own (its control clients have long client
 * identifiers and keep status and subscription digests as retained messages): the broker extension applies them to
 * outside clients, while the broker's config.xml leaves the suite room. Written by the node agent into the
 * extension's folder ({@value #FILE_NAME}) beside {@code suite.properties}, read by the extension at start.
 *
 * @param maxClientIdLength       {@code hivemq.restrictions.max_client_id_length}: longer identifiers are refused at
 *                                CONNECT
 * @param retainedMessagesEnabled {@code mqtt.limits.retained_messages_enabled}: when false, the retain flag of an
 *                                outside client's publish is dropped, so nothing is kept
 * @param maxQos                  {@code mqtt.limits.max_qos}: the broker's config.xml has it too (CONNACK maximum QoS,
 *                                publishes above it refused), but Community Edition still grants a higher QoS in the
 *                                SUBACK; the extension lowers outside clients' subscriptions to it
 */
public record ClientLimits(int maxClientIdLength, boolean retainedMessagesEnabled, int maxQos) {
    public static final String FILE_NAME = "client-limits.properties";
    /** No limit beyond the broker's own: what an extension without the file applies. */
    public static final ClientLimits NONE = new ClientLimits(65535, true, 2);

    private static final String CLIENT_ID = "max-client-id-length";
    private static final String RETAINED = "retained-messages.enabled";
    private static final String MAX_QOS = "max-qos";

    public static ClientLimits read(Path extensionFolder) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(extensionFolder.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + extensionFolder.resolve(FILE_NAME), e);
        }
        return new ClientLimits(Integer.parseInt(properties.getProperty(CLIENT_ID, "65535").trim()),
                Boolean.parseBoolean(properties.getProperty(RETAINED, "true").trim()),
                Integer.parseInt(properties.getProperty(MAX_QOS, "2").trim()));
    }

    public void write(Path extensionFolder) {
        Properties properties = new Properties();
        properties.setProperty(CLIENT_ID, Integer.toString(maxClientIdLength));
        properties.setProperty(RETAINED, Boolean.toString(retainedMessagesEnabled));
        properties.setProperty(MAX_QOS, Integer.toString(maxQos));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "written by the node agent; read by the broker extension at start");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(extensionFolder.resolve(FILE_NAME), text.toString());
    }
}
