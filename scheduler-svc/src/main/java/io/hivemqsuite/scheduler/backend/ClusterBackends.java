package io.hivemqsuite.scheduler.backend;

import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.backend.local.LocalBackend;
import io.hivemqsuite.scheduler.backend.mesos.MesosBackend;
import io.hivemqsuite.scheduler.backend.mesos.MesosSettings;
import io.hivemqsuite.scheduler.settings.SchedulerSettings;
import io.hivemqsuite.scheduler.state.StateStore;

import java.nio.file.Path;

/** {@code service.mode} picks the backend: {@code local} processes on this machine, {@code mesos} a framework. */
public final class ClusterBackends {
    private ClusterBackends() {
    }

    /**
     * @throws IllegalStateException when the mode's backend cannot start (mesos: no master to subscribe to), with
     *                               the option and the reason
     */
    public static ClusterBackend forMode(ServiceOptions spec, SchedulerSettings settings, StateStore store) {
        if (spec.service().mesos()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return MesosBackend.start(MesosSettings.of(spec, java, settings.distribution().root(),
                    settings.layout().sidecarUrl()), store);
        }
        return new LocalBackend(settings.layout(), settings.distribution());
    }
}
