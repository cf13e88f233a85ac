package io.hivemqsuite.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.hivemqsuite.extension.handover.SessionExport;
import io.hivemqsuite.extension.metrics.MetricsPublisher;
import io.hivemqsuite.extension.rbac.RbacAuthentication;
import io.hivemqsuite.extension.rbac.UserStore;
import io.hivemqsuite.extension.security.ControlTopicGuard;
import io.hivemqsuite.extension.routing.Router;
import io.hivemqsuite.extension.security.OutsideClientLimits;
import io.hivemqsuite.extension.security.SuiteAuthenticator;
import io.hivemqsuite.protocol.security.ClientLimits;
import io.hivemqsuite.protocol.routing.LinkSecret;
import io.hivemqsuite.protocol.security.ExtensionSettings;

import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Loaded into every broker the suite manages. It is the broker's only security extension, so when it does not
 * start the broker admits nobody: a broker whose settings are missing fails closed instead of opening the
 * control topics to the world.
 */
public class SuiteExtensionMain implements ExtensionMain {
    // java.util.logging: the broker routes it into its own log, and the extension needs no logging library.
    private static final Logger LOG = Logger.getLogger(SuiteExtensionMain.class.getName());
    private Router router;
    private MetricsPublisher metrics;

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
        OutsideClientLimits limits;
        try {
            limits = new OutsideClientLimits(ClientLimits.read(home));
        } catch (RuntimeException e) {
            output.preventExtensionStartup("no valid " + ClientLimits.FILE_NAME + " in " + home + ": " + describe(e));
            return;
        }
        RbacAuthentication users = null;
        if (settings.rbacEnabled()) {
            UserStore store = new UserStore(home);
            store.start(Services.extensionExecutorService());
            users = new RbacAuthentication(store);
        }
        // Stateless apart from its settings, limits and the user store: one instance answers the router too.
        SuiteAuthenticator authenticator = new SuiteAuthenticator(settings, limits, users);
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        router = startRouter(settings, home, input.getServerInformation().getDataFolder().toPath(), authenticator);
        new SessionExport(home).start();
        if (settings.metrics().enabled()) {
            metrics = new MetricsPublisher(settings.serviceDnsName(), settings.metrics());
            metrics.start();
        }
        ControlTopicGuard guard = new ControlTopicGuard();
        Router routing = router;
        // One initializer per extension: the guard and the router share it.
        Services.initializerRegistry().setClientInitializer((initializerInput, context) -> {
            guard.initialize(initializerInput, context);
            limits.initialize(initializerInput, context);
            if (routing != null) {
                routing.initialize(initializerInput, context);
            }
        });
        LOG.info("control topics " + "of service " + settings.serviceDnsName() + " closed to outside clients; "
                + (settings.rbacEnabled() ? "users and roles on (" + home.resolve("rbac") + ")"
                        : "anonymous clients " + (settings.anonymousAllowed() ? "allowed" : "refused")));
    }

    @Override
    public void extensionStop(@NotNull ExtensionStopInput input, @NotNull ExtensionStopOutput output) {
        // The broker removes the authenticator and initializers itself; the router's links are ours to close.
        if (router != null) {
            router.stop();
        }
        if (metrics != null) {
            metrics.stop();
        }
    }

    /** Routing is optional: without it (or without the link secret) the broker still runs, as a lone node. */
    private static Router startRouter(ExtensionSettings settings, Path home, Path dataFolder,
                                      SuiteAuthenticator authenticator) {
        if (!settings.routing().enabled()) {
            return null;
        }
        Optional<String> secret;
        try {
            secret = LinkSecret.read(home);
        } catch (RuntimeException e) {
            secret = Optional.empty();
        }
        if (secret.isEmpty()) {
            LOG.severe("routing is enabled but " + LinkSecret.FILE_NAME + " is missing in " + home
                    + ": this node does not route (the node agent writes it)");
            return null;
        }
        Router router = new Router(settings, home, dataFolder, secret.get(), authenticator::admits);
        router.start();
        return router;
    }

    private static String describe(RuntimeException e) {
        return e.getCause() != null ? e.getMessage() + " (" + e.getCause() + ")" : e.getMessage();
    }
}
