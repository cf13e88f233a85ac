package io.hivemqsuite.agent.config;

import io.hivemqsuite.protocol.dist.LocalDistribution;

import java.nio.file.Path;

/**
 * What the scheduler's local backend (or an operator running the agent alone) tells this agent, all as
 * system properties / Quarkus config. See README.md for the property names.
 *
 * @param nodeIndex          which node this agent serves ({@code suite.node.index})
 * @param address            the node's loopback address; the broker's listeners bind to it ({@code suite.node.address})
 * @param nodeDir            the node's persistent folder; the HiveMQ home is {@code <nodeDir>/hivemq}
 * @param specFile           the completed options JSON
 * @param credentialFile     the internal secret (MQTT password of internal clients and this agent's bearer token)
 * @param distribution       where the broker classpath and the broker extension zip are
 * @param extensionZip       the broker extension to install (the distribution's unless overridden)
 * @param javaExecutable     the {@code java} that runs the broker
 */
public record AgentSettings(
        int nodeIndex,
        String address,
        Path nodeDir,
        Path specFile,
        Path credentialFile,
        LocalDistribution distribution,
        Path extensionZip,
        Path javaExecutable) {

    public Path brokerHome() {
        return nodeDir.resolve("hivemq");
    }

    public Path pidFile() {
        return nodeDir.resolve("broker.pid");
    }

    public Path commandsDir() {
        return nodeDir.resolve("agent").resolve("commands");
    }

    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
