package io.hivemqsuite.cli.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceProcessesTest {
    @Test
    void matchesTheFolderAndItsContentButNotASibling() {
        String dir = "/home/u/.hivemq-suite/hivemq";
        assertTrue(ServiceProcesses.mentions("java -Dsuite.service-dir=/home/u/.hivemq-suite/hivemq -jar x", dir));
        assertTrue(ServiceProcesses.mentions("java -Dhivemq.home=/home/u/.hivemq-suite/hivemq/nodes/hivemq-0/hivemq", dir));
        assertTrue(ServiceProcesses.mentions("sh supervise.sh /home/u/.hivemq-suite/hivemq", dir));
        assertFalse(ServiceProcesses.mentions("java -Dsuite.service-dir=/home/u/.hivemq-suite/hivemq2 -jar x", dir));
    }

    @Test
    void findsThisJvmOnlyWhenItsCommandLineNamesTheFolder() {
        // the test JVM's command line does not name a service folder
        assertTrue(ServiceProcesses.of(java.nio.file.Path.of("/nonexistent/service-folder")).isEmpty());
    }
}
