package io.hivemqsuite.agent.broker;

import io.hivemqsuite.agent.home.BrokerHome;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hivemq.java_options on the broker's command line: after the agent's own, and a chosen collector replaces ours. */
class BrokerLaunchTest {
    private static List<String> command(String javaOptions) {
        return new BrokerLaunch(Path.of("/jdk/bin/java"), 256, javaOptions, new BrokerHome(Path.of("/n/hivemq")),
                Path.of("/lib"), Path.of("/n/broker.pid")).command();
    }

    @Test
    void userOptionsFollowTheAgentsSoTheirHeapWins() {
        List<String> command = command("-XX:+UseNUMA -Xmx512m");
        assertTrue(command.indexOf("-Xmx512m") > command.indexOf("-Xmx256m"), command.toString());
        assertTrue(command.contains("-XX:+UseSerialGC"), command.toString());
        assertEquals(BrokerLaunch.MAIN_CLASS, command.get(command.size() - 1));
    }

    @Test
    void aChosenCollectorReplacesTheSerialOne() {
        // the JVM refuses to start with two collectors
        List<String> command = command("-XX:+UseG1GC");
        assertFalse(command.contains("-XX:+UseSerialGC"), command.toString());
        assertTrue(command.contains("-XX:+UseG1GC"), command.toString());
    }

    @Test
    void noOptionsIsTheAgentsCommand() {
        assertEquals(List.of("/jdk/bin/java", "-Xmx256m", "-XX:+UseSerialGC", "-Dhivemq.home=/n/hivemq", "-cp",
                "/lib/*", BrokerLaunch.MAIN_CLASS), command(""));
    }
}
