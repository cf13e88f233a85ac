package io.hivemqsuite.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.hivemqsuite.extension.security.ControlTopicGuard;
import io.hivemqsuite.extension.security.SuiteAuthenticator;
import io.hivemqsuite.protocol.security.ExtensionSettings;

import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Loaded into every broker the suite manages. It is the broker's only security extension, so when it does not
 * start the broker admits nobody: a broker whose settings are missing fails closed instead of opening the
 * control topics to the world.
 */
public class SuiteExtensionMain implements ExtensionMain {
    // java.util.logging: the broker routes it into its own log, and the extension needs no logging library.
    private static final Logger LOG = Logger.getLogger(SuiteExtensionMain.class.getName());

    @Override
    public void extensionStart(@NotNull ExtensionStartInput input, @NotNull ExtensionStartOutput output) {
        Path home = input.getExtensionInformation().getExtensionHomeFolder().toPath();
        ExtensionSettings settings;
        try {
            settings = ExtensionSettings.read(home);
        } catch (RuntimeException e) {
            output.preventExtensionStartup("no valid " + ExtensionSettings.FILE_NAME + " in " + home + ": "
                    + describe(e) + " (the node agent writes it before starting the broker)");
            return;
        }
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> new SuiteAuthenticator(settings));
        Services.initializerRegistry().setClientInitializer(new ControlTopicGuard());
        LOG.info("control topics " + "of service " + settings.serviceDnsName() + " closed to outside clients; "
                + "anonymous clients " + (settings.anonymousAllowed() ? "allowed" : "refused"));
    }

    @Override
    public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
        // The broker removes the authenticator and initializers itself; nothing of ours outlives the extension.
    }

    private static String describe(RuntimeException e) {
        return e.getCause() != null ? e.getMessage() + " (" + e.getCause() + ")" : e.getMessage();
    }
}
