package io.hivemqsuite.protocol.rbac;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JDK's DOM parser, closed to DTDs and external entities (the files come from users' options). */
final class RbacXml {
    private RbacXml() {
    }

    static Element root(byte[] xml, String field, String rootName) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null); // errors are thrown, not printed to stderr
            document = builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw new RbacConfigException(field, "not well-formed XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage());
        } catch (SAXException | IOException e) {
            throw new RbacConfigException(field, "not well-formed XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks secure processing", e);
        }
        Element root = document.getDocumentElement();
        if (!rootName.equals(root.getTagName())) {
            throw new RbacConfigException(field, "the root element must be <" + rootName + "> but is <"
                    + root.getTagName() + ">");
        }
        return root;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                result.add(e);
            }
        }
        return result;
    }

    /** Children of every {@code <wrapper>} under {@code parent}, e.g. the {@code <user>}s of {@code <users>}. */
    static List<Element> wrapped(Element parent, String wrapper, String name) {
        List<Element> result = new ArrayList<>();
        for (Element w : children(parent, wrapper)) {
            result.addAll(children(w, name));
        }
        return result;
    }

    /** The text of the first {@code <name>} child, as written (no trimming: a password may end in a blank). */
    static Optional<String> text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).getTextContent());
    }

    static <E extends Enum<E>> E enumValue(Element parent, String name, Class<E> type, E fallback, String where,
                                           List<String> problems) {
        Optional<String> value = text(parent, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.get().trim());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": <" + name + "> '" + value.get().trim() + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
            return fallback;
        }
    }
}
