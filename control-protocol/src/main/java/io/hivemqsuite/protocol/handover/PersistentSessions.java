package io.hivemqsuite.protocol.handover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The persistent sessions of one broker, as its extension exports them for a decommission: the node agent asks by
 * creating {@link #REQUEST_FILE} in the extension folder, the extension answers with {@link #FILE_NAME} (written
 * atomically) and removes the request. A file, like {@code peers.properties}: no new control topic, and the
 * extension needs no JSON library. One line per session, space-separated, every string Base64 (client identifiers
 * and topic filters may hold any character): {@code clientId expirySeconds connected qos:filter ...}.
 *
 * @param sessions the sessions that outlive their connection (session expiry above zero)
 */
public record PersistentSessions(List<Session> sessions) {
    public static final String REQUEST_FILE = "sessions.request";
    public static final String FILE_NAME = "sessions.export";
    /**
     * Asks the extension to disconnect its connected outside clients (SERVER_MOVED) so they reconnect through the VIP
     * elsewhere while this broker still runs; removed by the extension once done.
     */
    public static final String MOVE_REQUEST_FILE = "clients.move";

    public PersistentSessions {
        sessions = List.copyOf(sessions);
    }

    /** @param expirySeconds the session expiry interval; {@code connected} whether its client is connected now */
    public record Session(String clientId, long expirySeconds, boolean connected, List<Subscription> subscriptions) {
        public Session {
            subscriptions = List.copyOf(subscriptions);
        }
    }

    /** @param qos the granted maximum QoS (0-2) */
    public record Subscription(String filter, int qos) {
    }

    public String encode() {
        StringBuilder out = new StringBuilder();
        for (Session s : sessions) {
            out.append(b64(s.clientId())).append(' ').append(s.expirySeconds()).append(' ').append(s.connected());
            for (Subscription sub : s.subscriptions()) {
                out.append(' ').append(sub.qos()).append(':').append(b64(sub.filter()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    public static PersistentSessions decode(String text) {
        List<Session> sessions = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split(" ");
            if (fields.length < 3) {
                throw new IllegalArgumentException("session line needs clientId, expiry and connected: " + line);
            }
            List<Subscription> subscriptions = new ArrayList<>();
            for (int i = 3; i < fields.length; i++) {
                int colon = fields[i].indexOf(':');
                subscriptions.add(new Subscription(unb64(fields[i].substring(colon + 1)),
                        Integer.parseInt(fields[i].substring(0, colon))));
            }
            sessions.add(new Session(unb64(fields[0]), Long.parseLong(fields[1]), Boolean.parseBoolean(fields[2]),
                    subscriptions));
        }
        return new PersistentSessions(sessions);
    }

    /** Temporary file plus atomic rename: the agent polls for this file and must never read half of it. */
    public void write(Path folder) {
        Path tmp = folder.resolve(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, encode(), StandardCharsets.UTF_8);
            Files.move(tmp, folder.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE_NAME), e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
