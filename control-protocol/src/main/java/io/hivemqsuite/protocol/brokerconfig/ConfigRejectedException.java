package io.hivemqsuite.protocol.brokerconfig;

/** A rendered broker config that HiveMQ would not accept; it was not written. */
public class ConfigRejectedException extends RuntimeException {
    public ConfigRejectedException(String message) {
        super(message);
    }

    public ConfigRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
