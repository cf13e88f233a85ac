package io.hivemqsuite.protocol.placement;

import io.hivemqsuite.protocol.placement.PlacementConstraints.Agent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlacementConstraintsTest {

    /** {@code host/zone=a/rack=r1}: a hostname and its attributes; {@code -} for no agent. */
    private static Agent agent(String spec) {
        String[] parts = spec.split("/");
        Map<String, String> attributes = new HashMap<>();
        Arrays.stream(parts).skip(1).forEach(p -> attributes.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1)));
        return new Agent(parts[0], attributes);
    }

    private static List<Agent> agents(String specs) {
        return specs.equals("-") ? List.of() : Arrays.stream(specs.split(" ")).map(PlacementConstraintsTest::agent).toList();
    }

    @ParameterizedTest(name = "{0} on {1} next to [{2}]: {3}")
    @CsvSource(delimiter = '|', value = {
            // constraints                                 | offered agent         | agents already holding a node        | admitted
            "[]                                            | h1                    | h1                                   | true",
            "[[\"hostname\",\"UNIQUE\"]]                   | h1                    | h2 h3                                | true",
            "[[\"hostname\",\"UNIQUE\"]]                   | h2                    | h2 h3                                | false",
            "[\"hostname\",\"UNIQUE\"]                     | h2                    | h2                                   | false",
            "[[\"@hostname\",\"UNIQUE\"]]                  | h2                    | h2                                   | false",
            "[[\"zone\",\"UNIQUE\"]]                       | h3/zone=a             | h1/zone=a                            | false",
            "[[\"zone\",\"UNIQUE\"]]                       | h3/zone=b             | h1/zone=a                            | true",
            "[[\"zone\",\"UNIQUE\"]]                       | h3                    | h1/zone=a                            | false",
            "[[\"hostname\",\"CLUSTER\",\"h7\"]]           | h7                    | -                                    | true",
            "[\"hostname\",\"CLUSTER\",\"h7\"]             | h8                    | -                                    | false",
            "[[\"zone\",\"CLUSTER\",\"b\"]]                | h1/zone=b             | h2/zone=b                            | true",
            "[[\"zone\",\"CLUSTER\"]]                      | h1/zone=b             | h2/zone=b                            | true",
            "[[\"zone\",\"CLUSTER\"]]                      | h1/zone=c             | h2/zone=b                            | false",
            "[[\"zone\",\"CLUSTER\"]]                      | h1/zone=c             | -                                    | true",
            "[[\"hostname\",\"LIKE\",\"10[.]0[.].*\"]]     | 10.0.0.4              | -                                    | true",
            "[[\"hostname\",\"LIKE\",\"10[.]0[.].*\"]]     | 110.0.0.4             | -                                    | false",
            "[[\"zone\",\"LIKE\",\"[ab]\"]]                 | h1/zone=b             | -                                    | true",
            "[[\"zone\",\"LIKE\",\"[ab]\"]]                 | h1                    | -                                    | false",
            "[[\"zone\",\"UNLIKE\",\"[ab]\"]]               | h1/zone=b             | -                                    | false",
            "[[\"zone\",\"UNLIKE\",\"[ab]\"]]               | h1/zone=c             | -                                    | true",
            "[[\"zone\",\"UNLIKE\",\"[ab]\"]]               | h1                    | -                                    | true",
            "[[\"zone\",\"MAX_PER\",\"2\"]]                | h3/zone=a             | h1/zone=a h2/zone=b                  | true",
            "[[\"zone\",\"MAX_PER\",\"2\"]]                | h3/zone=a             | h1/zone=a h2/zone=a                  | false",
            "[[\"hostname\",\"MAX_PER\",\"1\"]]            | h1                    | h1                                   | false",
            "[[\"zone\",\"GROUP_BY\"]]                     | h3/zone=a             | h1/zone=a h2/zone=b                  | true",
            "[[\"zone\",\"GROUP_BY\"]]                     | h3/zone=a             | h1/zone=a                            | true",
            "[[\"zone\",\"GROUP_BY\"]]                     | h3/zone=a             | h1/zone=a h2/zone=a h4/zone=b        | false",
            "[[\"zone\",\"GROUP_BY\",\"2\"]]               | h3/zone=a             | h1/zone=a                            | false",
            "[[\"zone\",\"GROUP_BY\",\"2\"]]               | h3/zone=b             | h1/zone=a                            | true",
            "[[\"zone\",\"GROUP_BY\",\"2\"]]               | h3/zone=b             | h1/zone=a h2/zone=b                  | true",
            "[[\"zone\",\"GROUP_BY\"]]                     | h3                    | -                                    | false",
            "[[\"zone\",\"LIKE\",\"[ab]\"],[\"zone\",\"MAX_PER\",\"1\"]] | h3/zone=a | h1/zone=b                            | true",
            "[[\"zone\",\"LIKE\",\"[ab]\"],[\"zone\",\"MAX_PER\",\"1\"]] | h3/zone=b | h1/zone=b                            | false",
    })
    void admits(String constraints, String offered, String placed, boolean admitted) {
        PlacementConstraints parsed = PlacementConstraints.parse(constraints.strip());
        assertEquals(admitted, parsed.refusing(agent(offered.strip()), agents(placed.strip())).isEmpty());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "hostname:UNIQUE                                | is not JSON",
            "{\"hostname\":\"UNIQUE\"}                       | must be a JSON array of constraints",
            "[[\"hostname\"]]                               | constraint 1 [\"hostname\"] must be [field, OPERATOR]",
            "[[\"hostname\",\"UNIQUE\"],[\"zone\",\"SPREAD\"]] | constraint 2 [\"zone\",\"SPREAD\"]: unknown operator \"SPREAD\"",
            "[[\"hostname\",\"unique\"]]                    | unknown operator",
            "[[\"hostname\",\"UNIQUE\",\"x\"]]              | UNIQUE takes no value",
            "[[\"zone\",\"LIKE\"]]                          | LIKE needs a regular expression",
            "[[\"zone\",\"LIKE\",\"a(\"]]                   | a( is not a regular expression",
            "[[\"zone\",\"MAX_PER\"]]                       | MAX_PER needs a number",
            "[[\"zone\",\"MAX_PER\",\"none\"]]              | MAX_PER needs a positive number, not none",
            "[[\"zone\",\"GROUP_BY\",\"0\"]]                | GROUP_BY needs a positive number, not 0",
            "[[\"\",\"UNIQUE\"]]                            | the field is empty",
            "[[\"zone\",[\"UNIQUE\"]]]                      | every part must be a string",
    })
    void refusesWhatMarathonWouldNotTakeSayingWhy(String constraints, String reason) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> PlacementConstraints.parse(constraints.strip()));
        assertTrue(refused.getMessage().contains(reason.strip()), refused.getMessage());
    }
}
