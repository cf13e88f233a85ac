package io.hivemqsuite.scheduler.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The scheduler's own {@code suite.*} keys; the shared ones are service-kit's {@code SuiteSettings}. */
@ConfigMapping(prefix = "suite")
public interface SchedulerConfig {

    /** {@code suite.options}: the options JSON itself, instead of a file (the Universe package's Marathon app). */
    Optional<String> options();

    ZooKeeper zookeeper();

    Node node();

    Uninstall uninstall();

    interface ZooKeeper {
        /** {@code suite.zookeeper.port}: the embedded state store's port. */
        @WithDefault("2181")
        int port();
    }

    interface Node {
        /** {@code suite.node.start-timeout}: how long a node may take to report HEALTHY. */
        @WithDefault("180s")
        Duration startTimeout();

        /** {@code suite.node.max-launch-failures}: launches that may fail before a step is in ERROR. */
        @WithDefault("3")
        int maxLaunchFailures();
    }

    interface Uninstall {
        /** {@code suite.uninstall.exit}: tests keep the process, they run the scheduler in the test JVM. */
        @WithDefault("true")
        boolean exit();
    }
}
