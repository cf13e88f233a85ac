package io.hivemqsuite.protocol.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiAuthenticationTest {
    @Test
    void onlyHealthIsOpen() {
        assertTrue(ApiAuthentication.isOpen("/q/health"));
        assertTrue(ApiAuthentication.isOpen("/q/health/ready"));
        assertFalse(ApiAuthentication.isOpen("/q/metrics"));
        assertFalse(ApiAuthentication.isOpen("/q/healthz"));
        assertFalse(ApiAuthentication.isOpen("/v1/plans"));
    }

    @Test
    void theRightTokenPassesAndAnyOtherIsRefusedWithTheReason() {
        List<String> accepted = List.of("secret-token");
        assertTrue(ApiAuthentication.refusal("Bearer secret-token", accepted).isEmpty());
        assertEquals("invalid bearer token", ApiAuthentication.refusal("Bearer secret-tokem", accepted).orElseThrow());
        assertEquals("missing Authorization: Bearer <token> header", ApiAuthentication.refusal(null, accepted).orElseThrow());
        assertTrue(ApiAuthentication.refusal("Basic c2VjcmV0", accepted).orElseThrow().contains("Bearer"));
    }

    @Test
    void anEmptyTokenNeverAuthorizes() {
        assertFalse(ApiAuthentication.refusal("Bearer ", List.of("")).isEmpty());
    }

    @Test
    void refusalBodyNamesTheHeader() {
        assertEquals("{\"message\":\"invalid \\\"x\\\"\",\"field\":\"Authorization\"}",
                ApiAuthentication.refusalBody("invalid \"x\""));
    }
}
