package io.hivemqsuite.protocol.options;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Options come from users (CLI files, {@code POST /v1/update}): whatever the text, the reader returns valid options
 * or refuses with {@link OptionsException} naming at least one field with a reason; nothing else escapes. Options it
 * accepts are stable: reading their stored JSON again gives the same options (what a restarted scheduler does).
 * Seeds: {@code OptionsReaderFuzzTestInputs/optionsAreAcceptedOrRefusedByField/}.
 */
class OptionsReaderFuzzTest {
    private static final OptionsReader READER = new OptionsReader();

    @FuzzTest
    void optionsAreAcceptedOrRefusedByField(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        ServiceOptions options;
        try {
            options = READER.read(json);
        } catch (OptionsException refused) {
            assertFalse(refused.errors().isEmpty(), "a refusal names a field");
            refused.errors().forEach(error -> {
                assertFalse(error.field() == null || error.field().isBlank(), "refusal without a field: " + refused);
                assertFalse(error.reason() == null || error.reason().isBlank(), "refusal without a reason: " + refused);
            });
            return;
        }
        assertEquals(options, READER.read(OptionsReader.toJson(options)), "stored options read back differently");
    }
}
