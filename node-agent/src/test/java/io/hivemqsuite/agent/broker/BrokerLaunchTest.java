package io.hivemqsuite.agent.broker;

import io.hivemqsuite.agent.home.BrokerHome;
import io.hivemqsuite.protocol.dist.ServiceJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
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

    /** broker-distribution's build writes the archive next to lib/; the user's options still come after it. */
    @Test
    void theBrokersClassArchiveIsMappedWhenTheBuildWroteIt(@TempDir Path dist) throws Exception {
        Path lib = Files.createDirectories(dist.resolve("lib"));
        Path archive = Files.writeString(dist.resolve(ServiceJvm.BROKER_CDS_ARCHIVE), "archive");
        List<String> command = new BrokerLaunch(Path.of("/jdk/bin/java"), 256, "-Xshare:off",
                new BrokerHome(Path.of("/n/hivemq")), lib, Path.of("/n/broker.pid")).command();
        int mapped = command.indexOf("-XX:SharedArchiveFile=" + archive);
        assertTrue(mapped > 0, command.toString());
        assertTrue(command.indexOf("-Xshare:off") > mapped, command.toString());
    }
}
