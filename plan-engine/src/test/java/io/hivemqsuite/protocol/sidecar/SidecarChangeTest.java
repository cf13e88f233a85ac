package io.hivemqsuite.protocol.sidecar;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SidecarChangeTest {
    /**
     * GET /v1/changes must read the same before and after sidecar-svc restarts: the parameters come out by name,
     * whatever order the request (or the store) gave them in.
     */
    @Test
    void parametersAreListedByNameWhateverTheOrderTheyCameIn() throws Exception {
        Map<String, String> asRequested = new LinkedHashMap<>();
        asRequested.put("LICENSE_NAME", "kill-test");
        asRequested.put("LICENSE", "a2lsbA==");
        Map<String, String> asStored = new LinkedHashMap<>();
        asStored.put("LICENSE", "a2lsbA==");
        asStored.put("LICENSE_NAME", "kill-test");

        SidecarChange requested = new SidecarChange(1, "add-license", asRequested, 7, null);
        SidecarChange stored = new SidecarChange(1, "add-license", asStored, 7, null);

        assertEquals(List.of("LICENSE", "LICENSE_NAME"), List.copyOf(requested.parameters().keySet()));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.writeValueAsString(stored), json.writeValueAsString(requested));
    }
}
