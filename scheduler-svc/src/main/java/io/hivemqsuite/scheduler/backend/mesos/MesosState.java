package io.hivemqsuite.scheduler.backend.mesos;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.scheduler.state.StateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The backend's records in the service's state store: {@code mesos/framework-id} and {@code mesos/placements}
 * (node index to {@link NodePlacement}, one document so that a change is one atomic write).
 */
final class MesosState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FRAMEWORK_ID = "mesos/framework-id";
    private static final String PLACEMENTS = "mesos/placements";

    private final StateStore store;

    MesosState(StateStore store) {
        this.store = store;
    }

    Optional<String> frameworkId() {
        return store.read(FRAMEWORK_ID).filter(s -> !s.isBlank());
    }

    void writeFrameworkId(String id) {
        store.write(FRAMEWORK_ID, id);
    }

    Map<Integer, NodePlacement> placements() {
        return store.read(PLACEMENTS).map(json -> {
            try {
                return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<Integer, NodePlacement>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + PLACEMENTS, e);
            }
        }).orElseGet(TreeMap::new);
    }

    void writePlacements(Map<Integer, NodePlacement> placements) {
        store.write(PLACEMENTS, placementsJson(placements));
    }

    static String placementsJson(Map<Integer, NodePlacement> placements) {
        try {
            return JSON.writeValueAsString(placements);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + PLACEMENTS, e);
        }
    }
}
