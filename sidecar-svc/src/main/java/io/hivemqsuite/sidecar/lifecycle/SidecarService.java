package io.hivemqsuite.sidecar.lifecycle;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.plan.PlanMeters;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import io.hivemqsuite.sidecar.cluster.ClusterView;
import io.hivemqsuite.sidecar.node.NodeChannels;
import io.hivemqsuite.sidecar.plan.SidecarRuntime;
import io.hivemqsuite.sidecar.settings.SidecarSettings;
import io.hivemqsuite.sidecar.state.SidecarState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Brings the parts up in the background once the state store and the cluster's spec can be read (the scheduler
 * may start after us), and down on shutdown. Until then the API answers 503.
 */
@Singleton
public class SidecarService {
    private static final Logger LOG = Logger.getLogger(SidecarService.class);

    @Inject
    SidecarSettings settings;
    @Inject
    SuiteSettings suite;
    @Inject
    MeterRegistry registry;

    private volatile SidecarState state;
    private volatile NodeChannels channels;
    private volatile SidecarRuntime runtime;
    private volatile ClusterView cluster;
    private volatile String problem = "starting";
    private volatile PlanMeters planMeters;
    private volatile boolean stopping;
    private Thread starter;

    void onStart(@Observes StartupEvent event) {
        // one for the process: the plans' failure counts outlive a runtime that bringUp builds again
        planMeters = new PlanMeters(registry);
        starter = new Thread(this::bringUp, "sidecar-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void bringUp() {
        cluster = new ClusterView(settings.specFile(), settings.schedulerUrl(), settings.token());
        while (!stopping) {
            try {
                ClusterView.Cluster c = cluster.current();
                state = SidecarState.connect(settings.zookeeperConnect(),
                        SidecarState.basePath(suite.servicePathName()));
                channels = new NodeChannels(c.dnsName(), c.mqttPort(), settings.credential(), settings::nodeAddress,
                        "hivemq-suite-sidecar", this::roundTrip);
                runtime = new SidecarRuntime(state, channels, settings.fetcher(), settings.maxUnpackedBytes(),
                        c.nodeCount(), planMeters).run();
                problem = null;
                LOG.infof("sidecar plans ready for %s (%d nodes), state in %s", c.dnsName(), c.nodeCount(),
                        settings.zookeeperConnect());
                return;
            } catch (RuntimeException e) {
                problem = e.getMessage();
                LOG.warnf("sidecar plans not ready yet: %s", e.getMessage());
                closeParts();
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The control command round trips of the sidecar plans (sidecar-check, sidecar-apply), per node and command. */
    private void roundTrip(int node, String command, long nanos) {
        Timer.builder("hivemq_suite_control_command_round_trip")
                .description("agent commands over MQTT: publish of the command to its answer, as the sender sees it")
                .tags("node", PodNames.pod(node), "command", command).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (starter != null) {
            starter.interrupt();
        }
        closeParts();
    }

    private void closeParts() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
        if (channels != null) {
            channels.close();
            channels = null;
        }
        if (state != null) {
            state.close();
            state = null;
        }
    }

    public Optional<SidecarRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    public Optional<SidecarState> state() {
        return Optional.ofNullable(state);
    }

    /** Why the service is not ready, or null when it is. */
    public String problem() {
        return problem;
    }

    public int nodeCount() {
        return cluster.current().nodeCount();
    }
}
