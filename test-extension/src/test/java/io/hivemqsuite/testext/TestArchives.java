package io.hivemqsuite.testext;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The real test extension zip and broken variants of it, served over HTTP by a JDK HttpServer on a loopback
 * address: what an operator's web server would do.
 */
public final class TestArchives implements AutoCloseable {
    public static final String ID = "hivemq-test-extension";
    private final HttpServer server;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final String base;

    public TestArchives(String address) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        base = "http://" + address + ":" + server.getAddress().getPort() + "/";
    }

    /** Serves bytes under a name; answers the URL. */
    public String serve(String name, byte[] bytes) {
        files.put(name, bytes);
        return base + name;
    }

    public String unservedUrl() {
        return base + "nothing-here.zip";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static byte[] good() {
        try {
            Path zip = Path.of(System.getProperty("hivemq.suite.dist", ".."), "test-extension", "target",
                    ID + ".zip");
            return Files.readAllBytes(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("build test-extension first", e);
        }
    }

    /** The entries of the good archive, by name. */
    public static Map<String, byte[]> entries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(good()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] with(String name, byte[] content) {
        Map<String, byte[]> entries = entries();
        entries.put(name, content);
        return zip(entries);
    }

    /** The good extension, but its start fails (the greeting FAIL): HiveMQ disables it. */
    public static byte[] failingAtStart() {
        return with(ID + "/conf/greeting.txt", "FAIL".getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] zipSlip() {
        return with(ID + "/../../evil.txt", "x".getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] twoFolders() {
        return with("another-folder/readme.txt", "x".getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] noJar() {
        Map<String, byte[]> entries = entries();
        entries.keySet().removeIf(n -> n.endsWith(".jar"));
        return zip(entries);
    }

    public static byte[] idMismatch() {
        Map<String, byte[]> renamed = new LinkedHashMap<>();
        entries().forEach((name, content) -> renamed.put(name.replaceFirst("^" + ID, "other-name"), content));
        return zip(renamed);
    }

    public static byte[] tooLarge(int size) {
        byte[] noise = new byte[size];
        new Random(1).nextBytes(noise);
        return with(ID + "/noise.bin", noise);
    }

    /** A zip with a symbolic link entry: ZipOutputStream cannot write one, so its central record is patched. */
    public static byte[] symlink() {
        String link = ID + "/link-to-etc";
        byte[] zip = with(link, "/etc".getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = link.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p < zip.length - 46; p++) {
            if (b.getInt(p) == 0x02014b50 && b.getShort(p + 28) == name.length
                    && new String(zip, p + 46, name.length, StandardCharsets.UTF_8).equals(link)) {
                b.putShort(p + 4, (short) ((3 << 8) | 20));
                b.putInt(p + 38, (0120777) << 16);
                return zip;
            }
        }
        throw new IllegalStateException("central record of " + link + " not found");
    }
}
