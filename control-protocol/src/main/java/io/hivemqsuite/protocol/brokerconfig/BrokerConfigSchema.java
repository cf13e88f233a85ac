package io.hivemqsuite.protocol.brokerconfig;

import io.hivemqsuite.protocol.dist.AtomicFiles;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The {@code config.xsd} of the very broker we run, read from its jar. HiveMQ replaces a config.xml it cannot
 * read by its defaults (listener on 0.0.0.0:1883, no extensions' expectations met) with only a log line, so a
 * config that does not validate must never reach the conf folder.
 */
public final class BrokerConfigSchema {
    static final String JAR_PREFIX = "hivemq-community-edition-embedded-";
    private static final String XSD = "config.xsd";

    private final Schema schema;
    private final String source;

    private BrokerConfigSchema(Schema schema, String source) {
        this.schema = schema;
        this.source = source;
    }

    /** Loads the schema from the HiveMQ jar in the broker's classpath folder. */
    public static BrokerConfigSchema fromBrokerLib(Path brokerLibDir) {
        Path jar = findBrokerJar(brokerLibDir);
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            var entry = jarFile.getJarEntry(XSD);
            if (entry == null) {
                throw new IllegalStateException(jar + " holds no " + XSD);
            }
            try (InputStream in = jarFile.getInputStream(entry)) {
                SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                Schema schema = factory.newSchema(new StreamSource(in, jar.toUri() + "!/" + XSD));
                return new BrokerConfigSchema(schema, jar.getFileName() + "!/" + XSD);
            }
        } catch (IOException | SAXException e) {
            throw new IllegalStateException("cannot read " + XSD + " from " + jar + ": " + e.getMessage(), e);
        }
    }

    /** The Community Edition release in a broker classpath folder, as its jar names it ({@code 2025.5}). */
    public static String brokerVersion(Path brokerLibDir) {
        String name = findBrokerJar(brokerLibDir).getFileName().toString();
        return name.substring(JAR_PREFIX.length(), name.length() - ".jar".length());
    }

    static Path findBrokerJar(Path brokerLibDir) {
        if (!Files.isDirectory(brokerLibDir)) {
            throw new IllegalStateException(brokerLibDir + " is missing: build node-agent first (mvn package -pl node-agent)");
        }
        try (Stream<Path> files = Files.list(brokerLibDir)) {
            List<Path> jars = files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(JAR_PREFIX) && name.endsWith(".jar");
            }).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one " + JAR_PREFIX + "*.jar in " + brokerLibDir + " but found "
                        + jars.size());
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + brokerLibDir, e);
        }
    }

    /** @throws ConfigRejectedException naming line, column and the schema's complaint */
    public void validate(String configXml) {
        Validator validator = schema.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.validate(new StreamSource(new StringReader(configXml)));
        } catch (SAXParseException e) {
            throw new ConfigRejectedException("config.xml does not validate against " + source + " at line "
                    + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new ConfigRejectedException("config.xml does not validate against " + source + ": " + e.getMessage(), e);
        }
    }

    /** Validates, then replaces {@code target} atomically; a rejected config leaves the old file as it was. */
    public void validateAndWrite(String configXml, Path target) {
        validate(configXml);
        AtomicFiles.write(target, configXml);
    }
}
