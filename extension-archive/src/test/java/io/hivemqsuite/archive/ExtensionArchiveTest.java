package io.hivemqsuite.archive;

import io.hivemqsuite.protocol.plan.PlanRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionArchiveTest {
    private static final long MAX = 1 << 20;

    private static Map<String, byte[]> goodEntries() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("my-ext/", new byte[0]);
        e.put("my-ext/hivemq-extension.xml", """
                <?xml version="1.0"?><hivemq-extension><id>my-ext</id><name>x</name><version>1</version>
                </hivemq-extension>""".getBytes(StandardCharsets.UTF_8));
        e.put("my-ext/my-ext-1.0.jar", new byte[]{1, 2, 3});
        return e;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void refused(byte[] zip, String reason) {
        PlanRequestException e = assertThrows(PlanRequestException.class, () -> ExtensionArchive.inspect(zip, MAX));
        assertEquals("URL", e.field());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aWellFormedExtensionIsAcceptedAndUnpackedIntoItsFolder(@TempDir Path dir) throws IOException {
        byte[] zip = zip(goodEntries());
        assertEquals("my-ext", ExtensionArchive.inspect(zip, MAX).id());
        Path folder = ExtensionArchive.unpack(zip, MAX, dir);
        assertEquals(dir.resolve("my-ext"), folder);
        assertTrue(Files.isRegularFile(folder.resolve("my-ext-1.0.jar")));
    }

    @Test
    void zipSlipIsRefused() throws IOException {
        Map<String, byte[]> e = goodEntries();
        e.put("my-ext/../../etc/evil", new byte[]{1});
        refused(zip(e), "zip slip");
        Map<String, byte[]> absolute = goodEntries();
        absolute.put("/my-ext/abs", new byte[]{1});
        refused(zip(absolute), "zip slip");
    }

    @Test
    void twoTopLevelEntriesAreRefused() throws IOException {
        Map<String, byte[]> e = goodEntries();
        e.put("README.txt", new byte[]{1});
        refused(zip(e), "exactly one extension folder");
    }

    @Test
    void anIdThatDiffersFromTheFolderIsRefused() throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        goodEntries().forEach((k, v) -> e.put(k.replace("my-ext/", "other/"), v));
        refused(zip(e), "differs from its folder name");
    }

    @Test
    void anArchiveWithoutJarIsRefused() throws IOException {
        Map<String, byte[]> e = goodEntries();
        e.remove("my-ext/my-ext-1.0.jar");
        e.put("my-ext/lib/nested.jar", new byte[]{1});
        refused(zip(e), "no jar");
    }

    @Test
    void aSymbolicLinkEntryIsRefused() throws IOException {
        Map<String, byte[]> e = goodEntries();
        e.put("my-ext/link", "/etc".getBytes(StandardCharsets.UTF_8));
        byte[] zip = zip(e);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < zip.length - 46; p++) {
            if (b.getInt(p) == 0x02014b50 && new String(zip, p + 46, b.getShort(p + 28), StandardCharsets.UTF_8)
                    .equals("my-ext/link")) {
                b.putShort(p + 4, (short) ((3 << 8) | 20));
                b.putInt(p + 38, 0120777 << 16);
            }
        }
        refused(zip, "symbolic link");
    }

    @Test
    void somethingThatIsNotAZipIsRefused() {
        refused("hello".getBytes(StandardCharsets.UTF_8), "not a zip");
    }

    @Test
    void anArchiveThatUnpacksTooLargeIsRefused() throws IOException {
        Map<String, byte[]> e = goodEntries();
        e.put("my-ext/big.bin", new byte[(int) MAX + 1]);
        refused(zip(e), "limit");
    }

    @Test
    void aDoctypeInTheDescriptorIsNotExpanded() throws IOException {
        Map<String, byte[]> e = goodEntries();
        e.put("my-ext/hivemq-extension.xml", """
                <?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>
                <hivemq-extension><id>&e;</id></hivemq-extension>""".getBytes(StandardCharsets.UTF_8));
        refused(zip(e), "not valid XML");
    }
}
