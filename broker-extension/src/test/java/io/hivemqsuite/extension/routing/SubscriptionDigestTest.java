package io.hivemqsuite.extension.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a node advertises to its peers: the digest payload decodes to the same interest it was made from. */
class SubscriptionDigestTest {

    static Stream<Arguments> digests() {
        return Stream.of(
                Arguments.of(Set.of(), List.of(), Map.of()),
                Arguments.of(Set.of("a/b"), List.of("a/b"), Map.of()),
                Arguments.of(Set.of("#", "+/x", "sensors/+/temp"), List.of("#", "+/x", "sensors/+/temp"), Map.of()),
                Arguments.of(Set.of("$share/workers/jobs/+", "jobs/+"), List.of("jobs/+"),
                        Map.of("$share/workers/jobs/+", "jobs/+")),
                Arguments.of(Set.of("$share/g/a", "$share/g/b", "$share/h/a"), List.of(),
                        Map.of("$share/g/a", "a", "$share/g/b", "b", "$share/h/a", "a")),
                Arguments.of(Set.of("grüße/🌍", "a b/c"), List.of("a b/c", "grüße/🌍"), Map.of()));
    }

    @ParameterizedTest
    @MethodSource("digests")
    void decodesToTheInterestItWasMadeFrom(Set<String> filters, List<String> plain, Map<String, String> shared) {
        byte[] payload = SubscriptionDigest.encode(42, new TreeSet<>(filters));
        assertTrue(payload.length > 0, "never empty: an empty retained payload would clear the digest");
        SubscriptionDigest.Received received = SubscriptionDigest.decode(payload);
        assertEquals(42, received.version(), "the version a peer acknowledges");
        Interest interest = received.interest();
        assertEquals(new TreeSet<>(plain), new TreeSet<>(interest.plain()));
        assertEquals(shared, interest.shared());
        assertEquals(filters.size(), interest.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "d1\u0000a", "d2\u00007\u0000a", "d3", "d3\u0000", "d3\u0000x\u0000a", "D3\u00001\u0000a", "x", "\u0000a/b", "d"})
    void whatIsNotADigestDecodesToNull(String payload) {
        assertNull(SubscriptionDigest.decode(payload.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"d3\u00001", "d3\u00001\u0000", "d3\u00001\u0000\u0000", "d3\u00001\u0000a/b\u0000\u0000a/b\u0000"})
    void emptyAndRepeatedEntriesAreTolerated(String payload) {
        Interest interest = SubscriptionDigest.decode(payload.getBytes(StandardCharsets.UTF_8)).interest();
        assertEquals(payload.contains("a/b") ? List.of("a/b") : List.of(), interest.plain());
    }
}
