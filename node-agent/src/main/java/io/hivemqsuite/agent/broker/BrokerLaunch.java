package io.hivemqsuite.agent.broker;

import io.hivemqsuite.agent.home.BrokerHome;

import io.hivemqsuite.protocol.dist.ServiceJvm;
import io.hivemqsuite.protocol.options.JavaOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to run one broker JVM.
 *
 * @param javaOptions {@code hivemq.java_options}, already checked ({@link JavaOptions}); they follow the agent's own
 *                    options, so an -Xmx there wins over {@code heapMb}
 */
public record BrokerLaunch(Path java, int heapMb, String javaOptions, BrokerHome home, Path brokerLibDir,
                           Path pidFile) {
    public static final String MAIN_CLASS = "com.hivemq.HiveMQServer";

    /**
     * Whether a broker left running by an earlier agent runs from this classpath folder: after a change of
     * {@code hivemq.version} it does not, and must not be adopted. Unknown arguments count as "no".
     */
    public static boolean runsFrom(ProcessHandle broker, Path brokerLibDir) {
        String classpath = classpath(brokerLibDir);
        return broker.info().arguments().map(args -> Arrays.asList(args).contains(classpath))
                .orElse(false);
    }

    private static String classpath(Path brokerLibDir) {
        return brokerLibDir.toAbsolutePath() + "/*";
    }

    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx" + heapMb + "m");
        if (!JavaOptions.choosesCollector(javaOptions)) {
            // one broker per node on small machines: the serial collector has the smallest footprint (the JVM
            // refuses two collectors, so a user's choice replaces it)
            command.add("-XX:+UseSerialGC");
        }
        // before the user's options, so their -Xshare:off wins
        command.addAll(ServiceJvm.classDataSharing(
                brokerLibDir.toAbsolutePath().resolveSibling(ServiceJvm.BROKER_CDS_ARCHIVE)));
        command.addAll(JavaOptions.words(javaOptions));
        command.add("-Dhivemq.home=" + home.root().toAbsolutePath());
        command.add("-cp");
        command.add(classpath(brokerLibDir));
        command.add(MAIN_CLASS);
        return List.copyOf(command);
    }
}
