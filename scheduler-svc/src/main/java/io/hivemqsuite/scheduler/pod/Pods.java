package io.hivemqsuite.scheduler.pod;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.backend.ClusterBackend;
import io.hivemqsuite.scheduler.health.AgentHealth;
import io.hivemqsuite.scheduler.state.PodRecord;
import io.hivemqsuite.scheduler.state.StateStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pods of the service: their records in the state store and their agents on the backend. Every method that
 * can start or stop an agent holds the one scheduler lock, so the reconcile loop and a REST call never both act
 * on a pod, and writes the pod record before acting.
 */
public final class Pods {
    private static final Logger LOG = Logger.getLogger(Pods.class);

    private final StateStore store;
    private final ClusterBackend backend;
    private final AgentHealth health;
    private volatile ServiceOptions spec;
    /** Runs right before an agent is launched, e.g. to give the node its TLS certificate. */
    private volatile java.util.function.BiConsumer<Integer, ServiceOptions> beforeLaunch = (i, s) -> { };
    private final String credential;
    private final Object lock;
    private final AtomicInteger launches = new AtomicInteger();

    public Pods(StateStore store, ClusterBackend backend, AgentHealth health, ServiceOptions spec, String credential,
                Object lock) {
        this.store = store;
        this.backend = backend;
        this.health = health;
        this.spec = spec;
        this.credential = credential;
        this.lock = lock;
    }

    public int count() {
        return spec.node().count();
    }

    /**
     * The nodes every router should link to: the target's nodes, plus any node beyond the target's count whose pod
     * record still exists (a decommission removes the record as its last act, so a leaving node stays a member until
     * it is gone, also across a scheduler restart).
     */
    public Set<Integer> members() {
        Set<Integer> members = new TreeSet<>();
        for (int i = 0; i < count(); i++) {
            members.add(i);
        }
        store.pods().forEach(p -> members.add(p.index()));
        return members;
    }

    /** The end of a decommission: the agent is gone (stopped with its folder wiped); now the record goes too. */
    public void forget(int index) {
        synchronized (lock) {
            store.deletePod(PodNames.pod(index));
            health.forget(index);
        }
    }

    public ClusterBackend backend() {
        return backend;
    }

    public AgentHealth health() {
        return health;
    }

    public ServiceOptions spec() {
        return spec;
    }

    /** A new target: later launches (an update's relaunches, added nodes) use it. */
    public void retarget(ServiceOptions newSpec) {
        this.spec = newSpec;
    }

    public void beforeLaunch(java.util.function.BiConsumer<Integer, ServiceOptions> hook) {
        this.beforeLaunch = hook;
    }

    /** Agent launches by this scheduler process, for the metrics. */
    public int launches() {
        return launches.get();
    }

    public PodRecord record(int index) {
        return store.pod(PodNames.pod(index))
                .orElseGet(() -> PodRecord.initial(index, PodNames.pod(index), backend.nodeAddress(index)));
    }

    public boolean isRunning(int index) {
        return backend.isRunning(record(index));
    }

    /**
     * Makes sure node i's agent runs: re-attaches to a live one (never a duplicate), else launches one.
     *
     * @return a sentence for the step message
     */
    public String ensureRunning(int index) {
        synchronized (lock) {
            PodRecord record = record(index);
            OptionalLong live = backend.reattach(record);
            if (live.isPresent()) {
                if (record.agentPid() != live.getAsLong() || record.state() != PodRecord.PodState.RUNNING) {
                    store.writePod(record.running(live.getAsLong()));
                }
                return "agent running (pid " + live.getAsLong() + ")";
            }
            PodRecord launching = record.launching(PodNames.task(index) + "__" + UUID.randomUUID());
            store.writePod(launching);
            health.forget(index);
            ServiceOptions target = spec;
            beforeLaunch.accept(index, target);
            long pid = backend.launch(index, target, credential);
            launches.incrementAndGet();
            store.writePod(launching.running(pid));
            return "launched agent (pid " + pid + ", launch " + launching.launchCount() + ")";
        }
    }

    /** Marks a pod whose agent vanished, so the records show it until recovery relaunches it. */
    public void markFailed(int index) {
        synchronized (lock) {
            PodRecord record = record(index);
            if (record.state() == PodRecord.PodState.RUNNING && !backend.isRunning(record)) {
                LOG.warnf("the agent of %s (pid %d) is gone", record.name(), record.agentPid());
                store.writePod(record.withState(PodRecord.PodState.FAILED));
            }
        }
    }

    /** Stops node i's agent and waits for it; with {@code wipe}, deletes its persistent folder afterwards. */
    public void stop(int index, boolean wipe) {
        stop(index, wipe, Duration.ofSeconds(20));
    }

    /** {@link #stop(int, boolean)}, forcing the agent after {@code grace} (an agent that does not answer). */
    public void stop(int index, boolean wipe, Duration grace) {
        synchronized (lock) {
            PodRecord record = record(index);
            store.writePod(record.withState(PodRecord.PodState.KILLED));
            backend.kill(record, grace);
            health.forget(index);
            if (wipe) {
                backend.wipe(index);
            }
        }
    }
}
