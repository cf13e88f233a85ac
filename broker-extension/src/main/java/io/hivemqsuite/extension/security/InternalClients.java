package io.hivemqsuite.extension.security;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;

/**
 * Marks the connections of the suite's own clients. The connection attribute store lives only in the broker and
 * dies with the connection, so a client can neither set the mark itself nor carry it into a new connection.
 */
public final class InternalClients {
    static final String ATTRIBUTE = "io.hivemqsuite.internal-client";

    private InternalClients() {
    }

    static void mark(@NotNull ConnectionInformation connection) {
        connection.getConnectionAttributeStore().putAsString(ATTRIBUTE, "true");
    }

    /** Anything without the mark counts as outside: a missing mark must never open the control topics. */
    public static boolean isInternal(@NotNull ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(ATTRIBUTE).map("true"::equals).orElse(false);
    }
}
