package io.hivemqsuite.agent.config;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The internal credential: the MQTT password of the agent's control client and the bearer token of the agent's
 * REST API. Held only as read from {@code suite.credential-file}; compared by hash in constant time.
 */
@Singleton
public class InternalSecret {
    private static final Logger LOG = Logger.getLogger(InternalSecret.class);

    private final Optional<String> secret;
    private final String problem;

    @Inject
    public InternalSecret(AgentSettings settings) {
        String read = null;
        String why = null;
        try {
            read = Files.readString(settings.credentialFile(), StandardCharsets.UTF_8).trim();
            if (read.isEmpty()) {
                why = "suite.credential-file: " + settings.credentialFile() + " is empty";
                read = null;
            } else {
                warnIfOpen(settings);
            }
        } catch (IOException e) {
            why = "suite.credential-file: cannot read " + settings.credentialFile() + " (" + e + ")";
        }
        this.secret = Optional.ofNullable(read);
        this.problem = why;
        if (why != null) {
            LOG.error(why + "; every API call will be refused and the control client cannot connect");
        }
    }

    public Optional<String> value() {
        return secret;
    }

    /** Why there is no secret, when there is none. */
    public String problem() {
        return problem;
    }

    private static void warnIfOpen(AgentSettings settings) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(settings.credentialFile());
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warnf("%s is readable by others than its owner (%s): it should be 0600", settings.credentialFile(),
                        permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
