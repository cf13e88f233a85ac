package io.hivemqsuite.archive;

import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The one place that decides whether a zip is an extension we install: exactly one top-level folder, named as the
 * {@code <id>} in its {@code hivemq-extension.xml}, with at least one jar; no entry that leaves the folder (zip
 * slip) and no symbolic link. sidecar-svc runs it at {@code start} (so a bad archive is refused before any node is
 * touched), the node agent runs it again before unpacking (what it fetched could differ).
 *
 * @param id       the extension id = its folder name
 * @param entries  every entry name, as the central directory lists it
 * @param unpackedBytes the sum of the entries' sizes
 */
public record ExtensionArchive(String id, List<String> entries, long unpackedBytes) {
    public static final String DESCRIPTOR = "hivemq-extension.xml";
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL = 0x06054b50;
    private static final int UNIX = 3;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;

    public ExtensionArchive {
        entries = List.copyOf(entries);
    }

    private record CentralEntry(String name, boolean link, long size) {
    }

    /** Checks the archive; a refusal names the URL parameter (where the archive came from) and the reason. */
    public static ExtensionArchive inspect(byte[] zip, long maxUnpackedBytes) {
        List<CentralEntry> central = centralDirectory(zip);
        if (central.isEmpty()) {
            throw refuse("the archive holds no entries");
        }
        TreeSet<String> topLevel = new TreeSet<>();
        long total = 0;
        for (CentralEntry e : central) {
            checkName(e.name());
            if (e.link()) {
                throw refuse("entry '" + e.name() + "' is a symbolic link; links are not accepted in an extension");
            }
            total += e.size();
            String first = e.name().contains("/") ? e.name().substring(0, e.name().indexOf('/')) : e.name();
            topLevel.add(first + (e.name().contains("/") ? "/" : ""));
        }
        if (total > maxUnpackedBytes) {
            throw refuse("the archive unpacks to " + total + " bytes, more than the limit of " + maxUnpackedBytes);
        }
        if (topLevel.size() != 1 || !topLevel.first().endsWith("/")) {
            throw refuse("the archive must hold exactly one extension folder at its top level but holds "
                    + topLevel.size() + " entries there: " + topLevel);
        }
        String folder = topLevel.first().substring(0, topLevel.first().length() - 1);
        List<String> names = central.stream().map(CentralEntry::name).toList();
        if (!names.contains(folder + "/" + DESCRIPTOR)) {
            throw refuse("folder '" + folder + "' holds no " + DESCRIPTOR);
        }
        boolean jar = names.stream().anyMatch(n -> n.startsWith(folder + "/") && n.endsWith(".jar")
                && n.indexOf('/', folder.length() + 1) < 0);
        if (!jar) {
            throw refuse("folder '" + folder + "' holds no jar file (HiveMQ loads an extension only from a jar "
                    + "next to its " + DESCRIPTOR + ")");
        }
        String id = readId(zip, folder + "/" + DESCRIPTOR);
        if (!folder.equals(id)) {
            throw refuse("the extension id '" + id + "' in " + DESCRIPTOR + " differs from its folder name '"
                    + folder + "'; HiveMQ loads an extension only when both are equal");
        }
        try {
            SidecarPlans.checkExtensionName(SidecarPlans.URL, id);
        } catch (PlanRequestException e) {
            throw refuse(e.getMessage());
        }
        return new ExtensionArchive(id, names, total);
    }

    /**
     * Inspects, then unpacks into {@code dir} (which should be empty and on the same file system as the extensions
     * folder, so the result can be moved in one rename). Answers the unpacked extension folder.
     */
    public static Path unpack(byte[] zip, long maxUnpackedBytes, Path dir) throws IOException {
        ExtensionArchive archive = inspect(zip, maxUnpackedBytes);
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        long written = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                // the local headers are what gets written: check them too, a crafted zip may disagree with its
                // central directory
                checkName(entry.getName());
                if (!archive.entries().contains(entry.getName())) {
                    throw refuse("entry '" + entry.getName() + "' is not in the archive's central directory");
                }
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root.resolve(archive.id()))) {
                    throw refuse("entry '" + entry.getName() + "' escapes the extension folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    byte[] buffer = new byte[8192];
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        written += n;
                        if (written > maxUnpackedBytes) {
                            throw refuse("the archive unpacks to more than the limit of " + maxUnpackedBytes + " bytes");
                        }
                        os.write(buffer, 0, n);
                    }
                }
            }
        }
        return root.resolve(archive.id());
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.contains("\\")
                || name.matches("^[A-Za-z]:.*") || name.indexOf('\0') >= 0) {
            throw refuse("entry '" + name + "' has an absolute or non-portable path (zip slip)");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw refuse("entry '" + name + "' escapes the extension folder (zip slip)");
            }
        }
    }

    /** java.util.zip does not expose an entry's unix mode, which is where a zip marks symbolic links. */
    private static List<CentralEntry> centralDirectory(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
            if (b.getInt(i) == END_OF_CENTRAL) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw refuse("the file is not a zip archive");
        }
        int count = Short.toUnsignedInt(b.getShort(eocd + 10));
        long offset = Integer.toUnsignedLong(b.getInt(eocd + 16));
        List<CentralEntry> entries = new ArrayList<>();
        int p = (int) offset;
        try {
            for (int i = 0; i < count; i++) {
                if (b.getInt(p) != CENTRAL_HEADER) {
                    throw refuse("the zip archive's central directory is damaged");
                }
                int madeBy = Short.toUnsignedInt(b.getShort(p + 4)) >> 8;
                long size = Integer.toUnsignedLong(b.getInt(p + 24));
                int nameLength = Short.toUnsignedInt(b.getShort(p + 28));
                int extraLength = Short.toUnsignedInt(b.getShort(p + 30));
                int commentLength = Short.toUnsignedInt(b.getShort(p + 32));
                int external = b.getInt(p + 38);
                String name = new String(zip, p + 46, nameLength, StandardCharsets.UTF_8);
                boolean link = madeBy == UNIX && ((external >>> 16) & S_IFMT) == S_IFLNK;
                entries.add(new CentralEntry(name, link, size));
                p += 46 + nameLength + extraLength + commentLength;
            }
        } catch (IndexOutOfBoundsException e) {
            throw refuse("the zip archive's central directory is damaged");
        }
        return entries;
    }

    private static String readId(byte[] zip, String descriptor) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(descriptor)) {
                    byte[] xml = in.readNBytes(1 << 20);
                    return parseId(new ByteArrayInputStream(xml), descriptor);
                }
            }
        } catch (IOException e) {
            throw refuse("cannot read the zip archive: " + e.getMessage());
        }
        throw refuse(descriptor + " is missing");
    }

    private static String parseId(InputStream xml, String descriptor) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            Document doc = factory.newDocumentBuilder().parse(xml);
            NodeList ids = doc.getDocumentElement().getElementsByTagName("id");
            if (ids.getLength() == 0 || ids.item(0).getTextContent().isBlank()) {
                throw refuse(descriptor + " has no <id>");
            }
            return ids.item(0).getTextContent().trim();
        } catch (PlanRequestException e) {
            throw e;
        } catch (Exception e) {
            throw refuse(descriptor + " is not valid XML: " + e.getMessage());
        }
    }

    /** The archive's top-level folder name and size summary, for messages. */
    public Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("entries", Integer.toString(entries.size()));
        m.put("unpackedBytes", Long.toString(unpackedBytes));
        return m;
    }

    private static PlanRequestException refuse(String reason) {
        return new PlanRequestException(SidecarPlans.URL, "the extension archive is refused: " + reason);
    }
}
