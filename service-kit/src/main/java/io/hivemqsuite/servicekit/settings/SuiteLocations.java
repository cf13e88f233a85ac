package io.hivemqsuite.servicekit.settings;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Where the suite is on this machine, when the launcher says so ({@code hivemq.suite.*}, the names control-protocol's
 * {@code LocalLayout} and {@code LocalDistribution} also read as system properties).
 */
@ConfigMapping(prefix = "hivemq.suite")
public interface SuiteLocations {

    /** {@code hivemq.suite.home}: the suite home (zone files, service folders). */
    Optional<String> home();

    /** {@code hivemq.suite.dist}: the suite's distribution (service jars, broker classpath, extension zip). */
    Optional<String> dist();
}
