package io.hivemqsuite.metrics.settings;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** {@code STATSD_UDP_HOST} / {@code STATSD_UDP_PORT}, the names DC/OS gives every task. */
@ConfigMapping(prefix = "statsd.udp")
public interface StatsdConfig {

    Optional<String> host();

    /** A string: a port that is not 1..65535 is refused at start with its name (see StatsdPusher). */
    Optional<String> port();
}
