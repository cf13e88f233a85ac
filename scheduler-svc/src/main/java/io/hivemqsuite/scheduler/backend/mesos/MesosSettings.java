package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.protocol.security.ServiceAccountLogin;
import io.hivemqsuite.protocol.options.ServiceOptions;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the Mesos backend needs besides the spec.
 *
 * @param masterUrl        {@code service.mesos_master}
 * @param frameworkName    the service name (as DC/OS names the framework)
 * @param role             the role the nodes' resources are reserved for: {@code <service>-role}, as dcos-commons
 * @param principal        {@code service.service_account}, else the service name
 * @param java             the java executable a node task runs
 * @param distribution     where a node task finds the node agent and the broker (the fetched artifacts on DC/OS)
 * @param sidecarUrl       the sidecar service, for the node agents' catch-up
 * @param failoverTimeout  how long Mesos keeps the tasks of a disconnected scheduler
 * @param subscribeTimeout how long the start waits for the first SUBSCRIBED
 * @param login            the DC/OS service-account login when {@code service.service_account_secret} is set,
 *                         else null (an open master)
 */
public record MesosSettings(String masterUrl, String frameworkName, String role, String principal, Path java,
                            Path distribution, String sidecarUrl, Duration failoverTimeout, Duration subscribeTimeout,
                            ServiceAccountLogin login) {
    /** dcos-commons' default: a scheduler down for less than two weeks finds its tasks still running. */
    public static final Duration TWO_WEEKS = Duration.ofDays(14);

    public static MesosSettings of(ServiceOptions spec, Path java, Path distribution, String sidecarUrl) {
        ServiceOptions.Service service = spec.service();
        ServiceAccountLogin login = ServiceAccountLogin.of(service.serviceAccount(), service.serviceAccountSecret(),
                service.mesosMaster()).orElse(null);
        // with a login the master only takes the principal it authenticated
        String principal = login != null ? login.uid()
                : service.serviceAccount().isBlank() ? service.pathName() : service.serviceAccount();
        return new MesosSettings(service.mesosMaster(), service.name(), service.pathName() + "-role", principal, java,
                distribution, sidecarUrl, TWO_WEEKS, Duration.ofSeconds(20), login);
    }
}
