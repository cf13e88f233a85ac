package io.hivemqsuite.agent.broker;

import io.hivemqsuite.agent.home.BrokerHome;

import java.nio.file.Path;
import java.util.List;

/** How to run one broker JVM. */
public record BrokerLaunch(Path java, int heapMb, BrokerHome home, Path brokerLibDir, Path pidFile) {
    public static final String MAIN_CLASS = "com.hivemq.HiveMQServer";

    public List<String> command() {
        return List.of(java.toString(),
                "-Xmx" + heapMb + "m",
                // one broker per node on small machines: the serial collector has the smallest footprint
                "-XX:+UseSerialGC",
                "-Dhivemq.home=" + home.root().toAbsolutePath(),
                "-cp", brokerLibDir.toAbsolutePath() + "/*",
                MAIN_CLASS);
    }
}
