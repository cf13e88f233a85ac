package io.hivemqsuite.protocol.handover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistentSessionsTest {

    @Test
    void anyClientIdAndFilterSurviveTheFileExactly(@TempDir Path folder) throws Exception {
        PersistentSessions sessions = new PersistentSessions(List.of(
                new PersistentSessions.Session("sensor 7\nline two ü", 3600, true, List.of(
                        new PersistentSessions.Subscription("a/+/b c", 1),
                        new PersistentSessions.Subscription("$share/g 1/jobs/#", 2))),
                new PersistentSessions.Session("idle", 4_294_967_295L, false, List.of())));
        sessions.write(folder);
        assertTrue(Files.notExists(folder.resolve(PersistentSessions.FILE_NAME + ".tmp")), "no temporary file left");
        assertEquals(sessions, PersistentSessions.decode(Files.readString(folder.resolve(PersistentSessions.FILE_NAME))));
        assertEquals(new PersistentSessions(List.of()), PersistentSessions.decode(""));
    }

    @Test
    void aTruncatedLineIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PersistentSessions.decode("c2Vuc29y 3600\n"));
        assertTrue(e.getMessage().contains("clientId, expiry and connected"), e.getMessage());
    }
}
