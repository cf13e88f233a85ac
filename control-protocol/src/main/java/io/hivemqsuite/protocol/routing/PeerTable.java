package io.hivemqsuite.protocol.routing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every node of the cluster and where its MQTT listener is, as the node agent knows it: {@code peers.properties}
 * in the extension folder, one line {@code node.<index>=<host>:<port>} per node (this node included). Unlike
 * {@code suite.properties} it may change while the broker runs (nodes come and go), so the agent replaces it
 * atomically and the extension re-reads it when it changes.
 *
 * @param nodes node index to {@code host:port}, ordered by index
 */
public record PeerTable(Map<Integer, String> nodes) {
    public static final String FILE_NAME = "peers.properties";
    private static final String KEY = "node.";

    public PeerTable {
        nodes = Map.copyOf(new TreeMap<>(nodes));
        for (Map.Entry<Integer, String> e : nodes.entrySet()) {
            if (e.getKey() < 0 || !e.getValue().matches("[^:\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("peer " + e.getKey() + " must be <host>:<port> but is " + e.getValue());
            }
        }
    }

    public String host(int node) {
        String address = nodes.get(node);
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int port(int node) {
        String address = nodes.get(node);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The table with string keys, as JSON objects carry it (node status, the agent's peers API). */
    public Map<String, String> byKey() {
        Map<String, String> keyed = new TreeMap<>();
        nodes.forEach((i, address) -> keyed.put(Integer.toString(i), address));
        return keyed;
    }

    /** The reverse of {@link #byKey()}; a key that is not a node index is refused, naming it. */
    public static PeerTable fromKeys(Map<String, String> keyed) {
        Map<Integer, String> nodes = new TreeMap<>();
        keyed.forEach((key, address) -> {
            if (!key.matches("\\d{1,9}")) {
                throw new IllegalArgumentException("peer key '" + key + "' is not a node index");
            }
            if (address == null) {
                throw new IllegalArgumentException("peer " + key + " has no address");
            }
            nodes.put(Integer.parseInt(key), address);
        });
        return new PeerTable(nodes);
    }

    /** An empty table when the file is missing: a node without peers routes nowhere, which is what one node needs. */
    public static PeerTable read(Path extensionFolder) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(extensionFolder.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return new PeerTable(Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + extensionFolder.resolve(FILE_NAME), e);
        }
        Map<Integer, String> nodes = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(KEY)) {
                try {
                    nodes.put(Integer.parseInt(key.substring(KEY.length())), properties.getProperty(key).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(FILE_NAME + ": " + key + " does not end in a node index");
                }
            }
        }
        return new PeerTable(nodes);
    }

    /** Temporary file plus atomic rename: the extension polls this file and must never read half of it. */
    public void write(Path extensionFolder) {
        Properties properties = new Properties();
        nodes.forEach((i, address) -> properties.setProperty(KEY + i, address));
        Path target = extensionFolder.resolve(FILE_NAME);
        Path tmp = extensionFolder.resolve(FILE_NAME + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                properties.store(out, "written by the node agent; re-read by the broker extension's router when it changes");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
