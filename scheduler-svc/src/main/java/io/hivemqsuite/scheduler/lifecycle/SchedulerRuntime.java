package io.hivemqsuite.scheduler.lifecycle;

import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.plan.PlanMeters;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.Strategy;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.scheduler.backend.ClusterBackend;
import io.hivemqsuite.scheduler.backend.ClusterBackends;
import io.hivemqsuite.scheduler.health.AgentHealth;
import io.hivemqsuite.scheduler.membership.Membership;
import io.hivemqsuite.scheduler.membership.MembershipSync;
import io.hivemqsuite.scheduler.plan.ServicePlans;
import io.hivemqsuite.scheduler.pod.Pods;
import io.hivemqsuite.scheduler.settings.SchedulerSettings;
import io.hivemqsuite.scheduler.state.EmbeddedZooKeeper;
import io.hivemqsuite.scheduler.state.PodRecord;
import io.hivemqsuite.scheduler.state.StateStore;
import io.hivemqsuite.scheduler.tls.AgentTlsClient;
import io.hivemqsuite.scheduler.tls.IssuedCertificate;
import io.hivemqsuite.scheduler.tls.ServiceCertificates;
import io.hivemqsuite.scheduler.update.UpdateContext;
import io.hivemqsuite.scheduler.update.UpdatePlans;
import io.hivemqsuite.scheduler.update.UpdateService;
import io.hivemqsuite.scheduler.update.VipClient;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings the scheduler up in order (state store, target, credential, backend, plans resumed from the store) and
 * runs the reconcile loop. The target configuration comes from the spec file only on the first start: once the
 * store has one, the store wins, so a restarted scheduler never rolls the service back to its install options.
 */
@ApplicationScoped
public class SchedulerRuntime {
    private static final Logger LOG = Logger.getLogger(SchedulerRuntime.class);
    private static final long IDLE_ROUND_MILLIS = 1000;

    @Inject
    SchedulerSettings settings;
    @Inject
    SuiteSettings suite;
    @Inject
    MeterRegistry metrics;

    /** One lock for everything that starts or stops agents: the loop and REST calls take turns. */
    private final Object lock = new Object();
    private volatile boolean ready;
    private volatile boolean uninstalling;
    private EmbeddedZooKeeper zookeeper;
    private StateStore store;
    private volatile ServiceOptions spec;
    private volatile String specJson;
    private Pods pods;
    private ServicePlans plans;
    private ServiceCertificates certificates;
    private AgentTlsClient agentTls;
    private UpdateService updates;
    private MembershipSync membership;
    private long nextRenewalCheck;
    private long nextIdleRound;

    void onStart(@Observes StartupEvent event) {
        String connect = settings.zookeeperConnect().orElseGet(() -> {
            zookeeper = EmbeddedZooKeeper.start(settings.layout().zookeeperDir(), settings.layout().schedulerAddress(),
                    settings.zookeeperPort());
            return zookeeper.connectString();
        });
        store = StateStore.connect(connect, suite.servicePathName());
        OptionsReader reader = new OptionsReader();
        Optional<String> stored = store.target();
        if (stored.isPresent()) {
            spec = reader.read(stored.get());
            LOG.infof("target configuration from the state store (%s)", store.basePath());
        } else if (settings.options().isPresent()) {
            // DC/OS: the Universe package's Marathon app hands the rendered options over as SUITE_OPTIONS
            spec = reader.read(settings.options().get());
            store.writeTarget(OptionsReader.toJson(spec));
            LOG.infof("target configuration from suite.options, stored in %s", store.basePath());
        } else {
            Path file = settings.specFile().orElseThrow(() -> new IllegalStateException(
                    "no target configuration in the state store and neither suite.options nor suite.spec-file given"));
            spec = reader.read(file);
            store.writeTarget(OptionsReader.toJson(spec));
            LOG.infof("target configuration from %s, stored in %s", file, store.basePath());
        }
        specJson = OptionsReader.toJson(spec);
        String credential = store.credential().orElseGet(() -> {
            String secret = settings.credentialFile().filter(Files::exists).map(SchedulerRuntime::readTrimmed)
                    .orElseGet(InternalCredential::generate);
            store.writeCredential(secret);
            return secret;
        });
        ClusterBackend backend = ClusterBackends.forMode(spec, settings, store);
        AgentHealth health = new AgentHealth(backend, credential);
        pods = new Pods(store, backend, health, spec, credential, lock);
        certificates = new ServiceCertificates(store, settings.layout());
        agentTls = new AgentTlsClient(credential);
        // Every launch of a node with a TLS listener gets a fresh certificate from the current CA.
        pods.beforeLaunch((index, target) -> {
            if (target.tlsEnabled()) {
                certificates.provision(target, index);
            }
        });
        Membership target = new Membership(pods);
        membership = new MembershipSync(pods, target, credential);
        // Ask the agents first: resumed steps look at the world, and a node already healthy is COMPLETE.
        health.poll(indexes());
        // Local nodes are independent processes on one machine: starting them together is what users expect.
        plans = new ServicePlans(pods, store, Strategy.PARALLEL, settings.nodeStartTimeout(),
                settings.maxLaunchFailures(), new PlanMeters(metrics));
        UpdatePlans updatePlans = new UpdatePlans(new UpdateContext(pods,
                new VipClient(settings.layout().endpointUrl(), settings::token), certificates, agentTls,
                settings.nodeStartTimeout(), settings.maxLaunchFailures(), target, credential));
        plans.engine().register(UpdateService.stored(store).map(updatePlans::build).orElseGet(UpdatePlans::empty));
        updates = new UpdateService(store, plans.engine(), updatePlans, () -> spec, this::retarget, lock);
        registerMetrics();
        ready = true;
        LOG.infof("scheduler of %s ready: %d nodes, deploy %s", spec.service().name(), spec.node().count(),
                plans.plan(ServicePlans.DEPLOY).orElseThrow().status());
    }

    void onStop(@Observes ShutdownEvent event) {
        ready = false;
        // Agents are left running on purpose: a restarted scheduler re-attaches to them.
        if (pods != null) {
            pods.backend().disconnect();
        }
        if (store != null) {
            store.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    /**
     * A round every 250 ms while a step of a plan runs, every second otherwise: a step that waits for its node (each
     * node of a deploy, of a rolling update, a replace) ends within a quarter of a second of the node answering, where
     * it waited up to a second for the next round. No initial delay: the first round launches the nodes, and until
     * onStart is done it returns at once (ready).
     */
    @Scheduled(every = "PT0.25S", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        if (!ready || uninstalling) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now < nextIdleRound && !plans.underWay()) {
            return;
        }
        nextIdleRound = now + IDLE_ROUND_MILLIS;
        try {
            pods.health().poll(indexes());
            membership.round();
            synchronized (lock) {
                if (!uninstalling) {
                    plans.tick();
                }
            }
            renewCertificatesWhenDue();
        } catch (RuntimeException e) {
            LOG.warnf(e, "reconcile round failed; trying again at the next round");
        }
    }

    /** Every 30 s: nodes whose certificate has a third of its validity left get a new one, in place. */
    private void renewCertificatesWhenDue() {
        long now = System.currentTimeMillis();
        if (now < nextRenewalCheck || !spec.tlsEnabled()) {
            return;
        }
        nextRenewalCheck = now + 30_000;
        for (int index : indexes()) {
            if (pods.isRunning(index) && certificates.renewalDue(spec, index, now)) {
                String problem = renewCertificate(index);
                if (problem != null) {
                    LOG.warnf("certificate renewal of hivemq-%d failed, retrying in 30 s: %s", index, problem);
                }
            }
        }
    }

    /**
     * Issues node i a new certificate and has its agent replace the keystore in place.
     *
     * @return null when done, else why not
     */
    public String renewCertificate(int index) {
        IssuedCertificate issued = certificates.issue(spec, index);
        String problem = agentTls.push(pods.backend().agentUrl(index), issued);
        if (problem == null) {
            LOG.infof("hivemq-%d has a new certificate (serial %s)", index, issued.serialHex());
        }
        return problem;
    }

    public ServiceCertificates certificates() {
        return certificates;
    }

    public UpdateService updates() {
        return updates;
    }

    /** The new target of an accepted update; the store has it already. */
    private void retarget(ServiceOptions next) {
        spec = next;
        specJson = OptionsReader.toJson(next);
        pods.retarget(next);
    }

    /** The target's nodes and any node still leaving: all of them are polled. */
    private List<Integer> indexes() {
        return List.copyOf(pods.members());
    }

    private void registerMetrics() {
        Gauge.builder("hivemq_suite_scheduler_pods_running", () -> indexes().stream()
                .filter(i -> pods.isRunning(i)).count()).description("node agents alive").register(metrics);
        Gauge.builder("hivemq_suite_scheduler_pods_healthy", () -> indexes().stream()
                .filter(i -> pods.health().status(i).map(s -> s.healthy()).orElse(false)).count())
                .description("nodes whose agent reports HEALTHY").register(metrics);
        Gauge.builder("hivemq_suite_scheduler_agent_launches", pods::launches)
                .description("node agents launched by this scheduler process").register(metrics);
        for (String plan : plans.names()) {
            Gauge.builder("hivemq_suite_scheduler_plan_complete", () -> plans.plan(plan)
                    .map(p -> p.status() == Status.COMPLETE ? 1 : 0).orElse(0))
                    .tag("plan", plan).description("1 when the plan is COMPLETE").register(metrics);
        }
    }

    public boolean ready() {
        return ready && !uninstalling;
    }

    public ServicePlans plans() {
        return plans;
    }

    public Pods pods() {
        return pods;
    }

    public ServiceOptions spec() {
        return spec;
    }

    public String specJson() {
        return specJson;
    }

    public SchedulerSettings settings() {
        return settings;
    }

    public Object lock() {
        return lock;
    }

    /** {@code pod restart} / {@code pod replace}. */
    public void relaunch(int index, boolean wipe) {
        synchronized (lock) {
            plans.relaunch(index, wipe);
        }
    }

    /**
     * Stops every agent (each stops its broker) and waits until all are gone, then deletes the service's state.
     * The loop stops first, so nothing is relaunched meanwhile.
     *
     * @return the pods whose agents were stopped
     */
    public List<String> uninstall() {
        uninstalling = true;
        List<String> stopped = new ArrayList<>();
        synchronized (lock) {
            List<Integer> all = new ArrayList<>(indexes());
            store.pods().stream().map(PodRecord::index).filter(i -> !all.contains(i)).forEach(all::add);
            for (int index : all) {
                pods.stop(index, false);
                stopped.add(pods.record(index).name());
            }
            pods.backend().release();
            store.deleteAll();
        }
        LOG.infof("uninstalled %s: agents of %s stopped, state deleted", spec.service().name(), stopped);
        return stopped;
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
