package io.hivemqsuite.protocol.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON encoding of control messages. A message that does not decode is refused with the reason,
 * never half-applied: {@link #read} throws {@link IllegalArgumentException}.
 */
public final class ControlJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ControlJson() {
    }

    public static byte[] write(Object message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] payload, Class<T> type) {
        try {
            return JSON.readValue(payload, type);
        } catch (IOException e) {
            throw invalid(type, new String(payload, StandardCharsets.UTF_8), e);
        }
    }

    /** {@link #read(byte[], Class)} for a body that arrived as text (an HTTP answer), without encoding it again. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw invalid(type, json, e);
        }
    }

    private static IllegalArgumentException invalid(Class<?> type, String json, IOException e) {
        return new IllegalArgumentException("not a valid " + type.getSimpleName() + ": "
                + e.getMessage().lines().findFirst().orElse("") + " in '" + json + "'", e);
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
