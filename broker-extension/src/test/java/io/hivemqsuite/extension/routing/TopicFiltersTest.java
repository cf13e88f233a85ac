package io.hivemqsuite.extension.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The router forwards a publish to a peer only when this matcher says so: it must agree with MQTT 5, 4.7. */
class TopicFiltersTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # filter             | topic                    | matches
            sport/tennis/player1 | sport/tennis/player1     | true
            sport/tennis/player1 | sport/tennis/player2     | false
            sport/tennis/player1 | sport/tennis             | false
            sport/tennis         | sport/tennis/player1     | false
            sport/tennis/#       | sport/tennis             | true
            sport/tennis/#       | sport/tennis/player1     | true
            sport/tennis/#       | sport/tennis/player1/r2  | true
            sport/tennis/#       | sport/tenni              | false
            sport/#              | sport                    | true
            "#"                    | sport/tennis/player1     | true
            "#"                    | /                        | true
            sport/tennis/+       | sport/tennis/player1     | true
            sport/tennis/+       | sport/tennis/player1/r2  | false
            sport/tennis/+       | sport/tennis             | false
            sport/+              | sport                    | false
            sport/+              | sport/                   | true
            +                    | sport                    | true
            +                    | /finance                 | false
            +/+                  | /finance                 | true
            /+                   | /finance                 | true
            +/tennis/#           | sport/tennis/player1     | true
            +/tennis/#           | sport/tennis             | true
            +/+/+                | a/b                      | false
            a/+/c                | a//c                     | true
            a//c                 | a//c                     | true
            a//c                 | a/c                      | false
            /                    | /                        | true
            a/                   | a/                       | true
            a/                   | a                        | false
            a                    | a/                       | false
            +/                   | a/                       | true
            //                   | //                       | true
            Sport                | sport                    | false
            grüße/+              | grüße/welt               | true
            "#"                    | $SYS/broker/uptime       | false
            +/broker/uptime      | $SYS/broker/uptime       | false
            $SYS/#               | $SYS/broker/uptime       | true
            $SYS/+/uptime        | $SYS/broker/uptime       | true
            """)
    void matchesAsMqttSays(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilters.matches(filter, topic));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            $share/workers/jobs/+   | jobs/+
            $share/g/#              | #
            $share/g//a             | /a
            $share/g                | $share/g
            $share/                 | $share/
            jobs/+                  | jobs/+
            $SYS/#                  | $SYS/#
            share/g/a               | share/g/a
            """)
    void aSharedSubscriptionCountsAsItsFilter(String raw, String filter) {
        assertEquals(filter, TopicFilters.withoutShare(raw));
    }
}
