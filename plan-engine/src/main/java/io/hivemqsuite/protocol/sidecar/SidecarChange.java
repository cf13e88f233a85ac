package io.hivemqsuite.protocol.sidecar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One completed sidecar change, as sidecar-svc records it in its state store and serves it on
 * {@code GET /v1/changes}: a node that joins later replays every change, in {@code seq} order, before its
 * broker counts as healthy.
 *
 * @param seq         the order of the change, from 1
 * @param plan        the sidecar plan ({@code add-extension})
 * @param parameters  the plan's parameters; add-extension's always carry the SHA256 of the validated archive,
 *                    so a replay installs exactly the bytes that were checked
 * @param completedAt epoch milliseconds
 * @param extension   the extension id the change concerns (null for a license), so that a later delete of that
 *                    extension makes the earlier changes of it needless to replay
 */
public record SidecarChange(long seq, String plan, Map<String, String> parameters, long completedAt,
                            String extension) {
    public SidecarChange {
        // sorted by name: GET /v1/changes answers the same text from every sidecar-svc process (the order of a
        // Map.copyOf changes from one JVM to the next, so a restarted sidecar-svc listed the parameters otherwise)
        parameters = parameters == null ? Map.of()
                : Collections.unmodifiableSortedMap(new TreeMap<>(Map.copyOf(parameters)));
    }

    /**
     * What a new node must replay: every change, in order, except those of an extension that was deleted later
     * (and that delete itself). Replaying them would fetch archives that may be gone, to install what is then removed.
     */
    public static List<SidecarChange> replayable(List<SidecarChange> changes) {
        Map<String, Integer> lastDelete = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            SidecarChange c = changes.get(i);
            if (SidecarPlans.DELETE_EXTENSION.equals(c.plan()) && c.extension() != null) {
                lastDelete.put(c.extension(), i);
            }
        }
        List<SidecarChange> result = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            SidecarChange c = changes.get(i);
            Integer deleted = c.extension() == null ? null : lastDelete.get(c.extension());
            if (deleted == null || i > deleted) {
                result.add(c);
            }
        }
        return result;
    }
}
