package io.hivemqsuite.sidecar.plan;

import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.plan.Phase;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanEngine;
import io.hivemqsuite.protocol.plan.PlanObserver;
import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.protocol.plan.PlanState;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.protocol.plan.Step;
import io.hivemqsuite.protocol.plan.Strategy;
import io.hivemqsuite.archive.ArchiveFetcher;
import io.hivemqsuite.archive.ExtensionArchive;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;
import io.hivemqsuite.sidecar.node.NodeChannels;
import io.hivemqsuite.sidecar.state.SidecarState;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The six sidecar plans on the shared plan engine: one serial phase per plan with one step per node
 * ({@code hivemq-0:[add-extension]}), progress in the state store, a reconcile loop that ticks them, and the
 * checks that refuse a bad start before any node changes. A completed plan run is recorded as a change, for nodes
 * that join later.
 */
public final class SidecarRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SidecarRuntime.class);
    /** Internal plan parameter: the id of one run of a plan; lower case so it never meets a user parameter. */
    static final String RUN = "run";
    /** Internal plan parameter of add-extension: the id of the validated archive, for the change log. */
    static final String EXTENSION_ID = "extension-id";
    private static final long CHECK_TIMEOUT_MS = 60_000;

    private final SidecarState state;
    private final NodeChannels channels;
    private final ArchiveFetcher fetcher;
    private final long maxUnpackedBytes;
    private final Map<String, NodeChangeStep> actions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sidecar-plans");
        t.setDaemon(true);
        return t;
    });
    private final PlanObserver observer;
    private volatile PlanEngine engine;
    private volatile int nodeCount;

    public SidecarRuntime(SidecarState state, NodeChannels channels, ArchiveFetcher fetcher, long maxUnpackedBytes,
                          int nodeCount) {
        this(state, channels, fetcher, maxUnpackedBytes, nodeCount, PlanObserver.NONE);
    }

    /** @param observer outlives the engines that a change of the node count rebuilds (the plans' metrics) */
    public SidecarRuntime(SidecarState state, NodeChannels channels, ArchiveFetcher fetcher, long maxUnpackedBytes,
                          int nodeCount, PlanObserver observer) {
        this.observer = observer;
        this.state = state;
        this.channels = channels;
        this.fetcher = fetcher;
        this.maxUnpackedBytes = maxUnpackedBytes;
        shape(nodeCount);
    }

    /** Starts the reconcile loop. */
    public SidecarRuntime run() {
        loop.scheduleWithFixedDelay(this::tick, 0, 300, TimeUnit.MILLISECONDS);
        return this;
    }

    public PlanEngine engine() {
        return engine;
    }

    public List<String> names() {
        return engine.names();
    }

    public Optional<Plan> plan(String name) {
        return engine.plan(name);
    }

    synchronized void tick() {
        try {
            engine.tick();
            for (String name : engine.names()) {
                Plan plan = engine.plan(name).orElseThrow();
                String run = plan.parameters().get(RUN);
                if (run != null && plan.status() == Status.COMPLETE && !state.recorded(run)) {
                    state.recordChange(run, name, userParameters(plan.parameters()), extensionOf(name,
                            plan.parameters()));
                    LOG.infof("plan %s complete on every node: change recorded", name);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("reconcile round failed: %s", e.getMessage());
        }
    }

    /**
     * {@code start}: every check first (parameters, archive, each node's own look at the change), then the plan
     * runs. A refusal throws {@link PlanRequestException} naming the parameter; nothing has changed anywhere then.
     */
    public void start(String name, Map<String, String> parameters, int currentNodeCount) {
        if (!SidecarPlans.isSidecarPlan(name)) {
            throw new IllegalArgumentException("no plan " + name);
        }
        Map<String, String> effective = new LinkedHashMap<>(parameters);
        for (String internal : List.of(RUN, EXTENSION_ID)) {
            if (effective.containsKey(internal)) {
                throw new PlanRequestException(internal, "unknown parameter '" + internal + "' for plan " + name);
            }
        }
        SidecarPlans.checkParameters(name, effective);
        if (SidecarPlans.ADD_EXTENSION.equals(name)) {
            byte[] zip = fetcher.fetch(effective.get(SidecarPlans.URL));
            ArchiveFetcher.verify(zip, effective.get(SidecarPlans.SHA256));
            String id = ExtensionArchive.inspect(zip, maxUnpackedBytes).id();
            // pinned from now on: every node, and every later replay, must install exactly these bytes
            effective.put(SidecarPlans.SHA256, ArchiveFetcher.sha256(zip));
            effective.put(EXTENSION_ID, id);
        }
        synchronized (this) {
            for (String other : engine.names()) {
                Status s = engine.plan(other).orElseThrow().status();
                if (s == Status.IN_PROGRESS) {
                    throw new PlanBusyException("plan " + other + " is in progress; one sidecar change at a time "
                            + "(stop it or wait for it)");
                }
            }
        }
        checkOnNodes(name, userParameters(effective), currentNodeCount);
        synchronized (this) {
            shape(currentNodeCount);
            effective.put(RUN, UUID.randomUUID().toString());
            engine.plan(name).orElseThrow().start(effective);
        }
    }

    private void checkOnNodes(String name, Map<String, String> params, int count) {
        Map<String, String> commandParams = new LinkedHashMap<>(params);
        commandParams.put(SidecarPlans.PLAN_PARAM, name);
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NodeCommand check = new NodeCommand("check-" + UUID.randomUUID(), SidecarPlans.CHECK_COMMAND, commandParams);
            int node = i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return channels.request(node, check, CHECK_TIMEOUT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }));
        }
        for (int i = 0; i < count; i++) {
            CommandResult r = answers.get(i).join();
            if (r == null) {
                throw new NodeUnavailableException("node " + PodNames.pod(i) + " does not answer on the control topic;"
                        + " nothing was changed");
            }
            if (!r.ok()) {
                String field = r.data().getOrDefault(SidecarPlans.FIELD, "(node)");
                throw new PlanRequestException(field, PodNames.pod(i) + ": " + r.message());
            }
        }
    }

    /** Builds the plans for this many nodes; progress is restored by step name from the store. */
    private synchronized void shape(int count) {
        if (engine != null && count == nodeCount) {
            return;
        }
        PlanEngine fresh = new PlanEngine(state, observer);
        for (String name : SidecarPlans.ALL) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String stepName = PodNames.pod(i) + ":[" + name + "]";
                NodeChangeStep action = new NodeChangeStep(i, channels, state);
                actions.put(name + "/" + stepName, action);
                steps.add(new Step(stepName, action));
            }
            Plan plan = fresh.register(new Plan(name, Strategy.SERIAL,
                    List.of(new Phase(name, Strategy.SERIAL, steps))));
            if (!plan.parameters().containsKey(RUN) && !plan.interrupted()) {
                // a sidecar plan runs only when started (as in dcos-commons, it waits until then)
                plan.interrupt(null);
            }
        }
        engine = fresh;
        nodeCount = count;
    }

    /** {@code restart}: the restarted steps send a new command next time, not the failed one again. */
    public void restart(String name, String phase, String step) {
        Plan plan = engine.plan(name).orElseThrow();
        plan.restart(phase, step);
        for (Phase p : plan.phases()) {
            for (Step s : p.steps()) {
                if (s.status() == Status.PENDING) {
                    NodeChangeStep action = actions.get(name + "/" + s.name());
                    if (action != null) {
                        action.forget(name, s.name());
                    }
                }
            }
        }
    }

    static Map<String, String> userParameters(Map<String, String> parameters) {
        Map<String, String> user = new LinkedHashMap<>(parameters);
        user.remove(RUN);
        user.remove(EXTENSION_ID);
        return user;
    }

    /** The extension a change concerns, null for a license. */
    static String extensionOf(String plan, Map<String, String> parameters) {
        return switch (plan) {
            case SidecarPlans.ADD_EXTENSION -> parameters.get(EXTENSION_ID);
            case SidecarPlans.ADD_CONFIG -> parameters.get(SidecarPlans.PATH).split("/")[0];
            case SidecarPlans.ADD_LICENSE -> null;
            default -> parameters.get(SidecarPlans.EXTENSION);
        };
    }

    public Optional<PlanState> stored(String name) {
        return state.load(name);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Another sidecar plan is running: 409. */
    public static final class PlanBusyException extends RuntimeException {
        PlanBusyException(String message) {
            super(message);
        }
    }

    /** A node does not answer: 503, nothing changed. */
    public static final class NodeUnavailableException extends RuntimeException {
        NodeUnavailableException(String message) {
            super(message);
        }
    }
}
