package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.placement.PlacementConstraints;
import io.hivemqsuite.scheduler.backend.ClusterBackend;
import io.hivemqsuite.scheduler.state.PodRecord;
import io.hivemqsuite.scheduler.state.StateStore;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Runs the nodes as tasks of a Mesos framework. {@link #launch} only marks a node pending; the offers that come
 * in afterwards place it: a node without a placement gets one ACCEPT with RESERVE + CREATE + LAUNCH_GROUP on an
 * agent that holds no other node of the service, a node with a placement is relaunched on its own reservation and
 * volume. Status updates are written to the state store before they are acknowledged. Everything of ours an offer
 * shows that no placement claims (a replaced node's, an uninstall's) is destroyed and unreserved.
 * State is guarded by this object; calls to the master are made outside it.
 */
public final class MesosBackend implements ClusterBackend {
    private static final Logger LOG = Logger.getLogger(MesosBackend.class);
    /** What an unplaced node's address reads as: loopback's network address, where nothing answers. */
    public static final String UNPLACED = "127.0.0.0";
    private static final double REFUSE_WHILE_PENDING = 2;
    private static final double REFUSE_WHEN_IDLE = 120;

    /** A launch to place; the spec is encoded and its constraints parsed once here, not for every offer. */
    private record PendingLaunch(ServiceOptions spec, String specBase64, String credential, String taskId,
                                 PlacementConstraints constraints) {
    }

    private final MesosSettings settings;
    private final MesosState state;
    private final StateStore store;
    private final NodeResources resources;
    private final NodeCommand command;
    private final MesosConnection connection;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, NodePlacement> placements;
    private final Map<Integer, PendingLaunch> pending = new LinkedHashMap<>();
    /** Accepted launches until their task starts: a launch on an offer that was no longer valid goes back to pending. */
    private final Map<Integer, PendingLaunch> launching = new LinkedHashMap<>();
    private volatile String frameworkId;
    private boolean suppressed;
    private boolean releasing;
    private final AtomicLong offersEvaluated = new AtomicLong();
    private final AtomicLong offersDeclined = new AtomicLong();
    private final AtomicLong rescinded = new AtomicLong();
    private final AtomicLong decideNanos = new AtomicLong();
    private final AtomicLong placementWriteNanos = new AtomicLong();
    private Thread processor;
    /**
     * Held while an offer is answered, so that TEARDOWN is never followed by an answer to an earlier offer, and a
     * REVIVE for new work never overtaken by a SUPPRESS or DECLINE decided before the work came.
     */
    private final Object offerCalls = new Object();
    private boolean tornDown;

    private MesosBackend(MesosSettings settings, StateStore store) {
        this.settings = settings;
        this.store = store;
        this.state = new MesosState(store);
        this.frameworkId = state.frameworkId().orElse(null);
        this.placements = new LinkedHashMap<>(state.placements());
        this.resources = new NodeResources(settings.frameworkName(), settings.role(), settings.principal());
        this.command = new NodeCommand(settings);
        this.connection = new MesosConnection(settings.masterUrl(), settings.login(), this::frameworkInfo, new MesosConnection.Handler() {
            @Override
            public void subscribed(FrameworkID id) {
                rememberFrameworkId(id);
            }

            @Override
            public void event(Event event) {
                events.add(event);
            }

            @Override
            public void disconnected(String why) {
                LOG.warnf("disconnected from the Mesos master: %s", why);
            }
        });
    }

    /**
     * Subscribes and waits for SUBSCRIBED.
     *
     * @throws IllegalStateException naming the master when it cannot be subscribed to in time, or the secret when
     *                               the service account's login is refused
     */
    public static MesosBackend start(MesosSettings settings, StateStore store) {
        if (settings.login() != null) {
            // a wrong key fails the install at once, with the IAM's answer, rather than as a subscribe timeout
            settings.login().token();
        }
        MesosBackend backend = new MesosBackend(settings, store);
        // the warm-up runs while the subscription is under way: events wait in the queue until it is done
        backend.processor = new Thread(() -> {
            try {
                backend.warmUp();
            } catch (RuntimeException e) {
                // only a head start: the offers are answered all the same, the first ones more slowly
                LOG.warnf(e, "warming up the offer path failed");
            }
            backend.processEvents();
        }, "mesos-events");
        backend.processor.setDaemon(true);
        backend.processor.start();
        backend.connection.start();
        long deadline = System.currentTimeMillis() + settings.subscribeTimeout().toMillis();
        while (!backend.connection.connected()) {
            if (System.currentTimeMillis() > deadline) {
                String problem = backend.connection.lastProblem().orElse("no answer");
                backend.disconnect();
                throw new IllegalStateException("service.mesos_master: cannot subscribe to the Mesos master at "
                        + settings.masterUrl() + " within " + settings.subscribeTimeout().toSeconds() + " s: " + problem);
            }
            sleep(100);
        }
        return backend;
    }

    FrameworkInfo frameworkInfo() {
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
                .setUser("nobody")
                .setName(settings.frameworkName())
                .setRole(settings.role())
                .setPrincipal(settings.principal())
                .setCheckpoint(true)
                .setFailoverTimeout(settings.failoverTimeout().toSeconds())
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.RESERVATION_REFINEMENT))
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        String id = frameworkId;
        if (id != null) {
            info.setId(FrameworkID.newBuilder().setValue(id));
        }
        return info.build();
    }

    /** Stored before any other event of the stream is looked at: a crash right after still finds its tasks. */
    private void rememberFrameworkId(FrameworkID id) {
        if (!id.getValue().equals(frameworkId)) {
            state.writeFrameworkId(id.getValue());
            frameworkId = id.getValue();
            LOG.infof("framework id %s stored", id.getValue());
        }
    }

    public String frameworkId() {
        return frameworkId;
    }

    // ------------------------------------------------------------------------------------- ClusterBackend

    @Override
    public String name() {
        return "mesos";
    }

    @Override
    public synchronized String nodeAddress(int index) {
        NodePlacement p = placements.get(index);
        return p == null ? UNPLACED : p.hostname();
    }

    @Override
    public synchronized String agentUrl(int index) {
        NodePlacement p = placements.get(index);
        return p == null ? "http://" + UNPLACED + ":9" : "http://" + p.hostname() + ":" + p.agentPort();
    }

    @Override
    public synchronized String logLocation(int index) {
        NodePlacement p = placements.get(index);
        return p == null ? "the Mesos task hivemq-" + index + "-node (not placed yet)"
                : "the sandbox of task " + p.taskId() + " on agent " + p.hostname();
    }

    @Override
    public long launch(int index, ServiceOptions spec, String credential) {
        String taskId = store.pod(PodNames.pod(index)).map(PodRecord::taskId).filter(t -> !t.isBlank())
                .orElseGet(() -> PodNames.task(index) + "__" + java.util.UUID.randomUUID());
        PendingLaunch launch = new PendingLaunch(spec, NodeCommand.encode(spec), credential, taskId,
                PlacementConstraints.parse(spec.node().placementConstraint()));
        reviveFor(() -> {
            pending.put(index, launch);
            return true;
        });
        LOG.infof("hivemq-%d pending launch as task %s", index, taskId);
        return 0;
    }

    @Override
    public synchronized boolean isRunning(PodRecord record) {
        if (pending.containsKey(record.index())) {
            return true;
        }
        NodePlacement p = placements.get(record.index());
        return p != null && p.taskActive();
    }

    @Override
    public OptionalLong reattach(PodRecord record) {
        return isRunning(record) ? OptionalLong.of(0) : OptionalLong.empty();
    }

    @Override
    public void kill(PodRecord record, Duration grace) {
        NodePlacement p;
        synchronized (this) {
            pending.remove(record.index());
            launching.remove(record.index());
            p = placements.get(record.index());
        }
        if (p == null || !p.taskActive() || p.taskId().isBlank()) {
            return;
        }
        LOG.infof("killing task %s of hivemq-%d", p.taskId(), record.index());
        connection.send(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(p.taskId()))
                .setAgentId(AgentID.newBuilder().setValue(p.agentId()))
                .setKillPolicy(org.apache.mesos.v1.Protos.KillPolicy.newBuilder()
                        .setGracePeriod(org.apache.mesos.v1.Protos.DurationInfo.newBuilder()
                                .setNanoseconds(grace.toNanos())))));
        long deadline = System.currentTimeMillis() + grace.toMillis() + 15_000;
        synchronized (this) {
            while (Optional.ofNullable(placements.get(record.index())).map(NodePlacement::taskActive).orElse(false)
                    && System.currentTimeMillis() < deadline) {
                try {
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * {@code pod replace}: the node gives up its placement; its volume and reservation are destroyed and
     * unreserved as soon as an offer shows them, and its next launch finds a new place.
     */
    @Override
    public void wipe(int index) {
        reviveFor(() -> {
            NodePlacement gone = placements.remove(index);
            if (gone == null) {
                return false;
            }
            state.writePlacements(placements);
            LOG.infof("hivemq-%d leaves agent %s: volume %s and its reservation will be released", index,
                    gone.hostname(), gone.persistenceId());
            return true;
        });
    }

    /**
     * Records new work and revives, ordered with the answers to offers: an offer being answered when the work came
     * may end in a SUPPRESS or a long DECLINE filter, and a REVIVE that reached the master before them would leave
     * the framework without offers while the work waits. Holding {@link #offerCalls} puts the REVIVE after them.
     * {@code work} answers whether it left anything to do: no work, no REVIVE (and no round of offers to decline).
     */
    private void reviveFor(BooleanSupplier work) {
        synchronized (offerCalls) {
            synchronized (this) {
                if (!work.getAsBoolean()) {
                    return;
                }
                suppressed = false;
            }
            revive();
        }
    }

    /** New work: offers again, also from agents declined with a long filter while there was nothing to do. */
    private void revive() {
        connection.send(Call.newBuilder().setType(Call.Type.REVIVE));
    }

    /**
     * Uninstall: the tasks are killed already; every reservation and volume of the service is given back, then the
     * framework is torn down. Waits until no placement is left and offers show nothing of ours.
     */
    @Override
    public void release() {
        reviveFor(() -> {
            releasing = true;
            pending.clear();
            placements.values().forEach(p -> dirtyAgents.add(p.agentId()));
            placements.clear();
            state.writePlacements(placements);
            return true;
        });
        long deadline = System.currentTimeMillis() + 60_000;
        synchronized (this) {
            while (!dirtyAgents.isEmpty() && System.currentTimeMillis() < deadline) {
                try {
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!dirtyAgents.isEmpty()) {
                LOG.warnf("uninstall: no offer of agents %s confirmed within 60 s that nothing of ours is reserved",
                        dirtyAgents);
            }
        }
        synchronized (offerCalls) {
            synchronized (this) {
                tornDown = true;
            }
            // no answer to an offer may follow: after TEARDOWN the master refuses every call of the framework
            connection.send(Call.newBuilder().setType(Call.Type.TEARDOWN));
        }
        LOG.infof("framework %s torn down", frameworkId);
        disconnect();
    }

    /** While releasing: agents that may still hold something of ours, until an offer of theirs shows nothing. */
    private final java.util.Set<String> dirtyAgents = new java.util.HashSet<>();

    @Override
    public void disconnect() {
        connection.close();
        if (processor != null) {
            processor.interrupt();
        }
    }

    // ------------------------------------------------------------------------------------- events

    private void processEvents() {
        while (true) {
            Event event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (event.getType()) {
                    case SUBSCRIBED -> afterSubscribe();
                    case OFFERS -> event.getOffers().getOffersList().forEach(this::evaluate);
                    case RESCIND -> {
                        rescinded.incrementAndGet();
                        LOG.debugf("offer %s rescinded", event.getRescind().getOfferId().getValue());
                    }
                    case UPDATE -> update(event.getUpdate().getStatus());
                    case FAILURE -> {
                        if (event.getFailure().hasAgentId() && !event.getFailure().hasExecutorId()) {
                            agentLost(event.getFailure().getAgentId().getValue());
                        }
                    }
                    default -> LOG.debugf("event %s ignored", event.getType());
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "handling the Mesos event %s failed", event.getType());
            }
        }
    }

    /** Explicit reconciliation of every task the store knows, then implicit for the ones it does not. */
    private void afterSubscribe() {
        Call.Reconcile.Builder explicit = Call.Reconcile.newBuilder();
        synchronized (this) {
            suppressed = false;
            for (NodePlacement p : placements.values()) {
                if (!p.taskId().isBlank()) {
                    explicit.addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue(p.taskId()))
                            .setAgentId(AgentID.newBuilder().setValue(p.agentId())));
                }
            }
        }
        if (explicit.getTasksCount() > 0) {
            connection.send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(explicit));
        }
        connection.send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()));
    }

    private void evaluate(Offer offer) {
        offersEvaluated.incrementAndGet();
        synchronized (offerCalls) {
            Call.Builder call;
            boolean suppress;
            synchronized (this) {
                if (tornDown) {
                    return;
                }
                long started = System.nanoTime();
                call = decide(offer);
                decideNanos.addAndGet(System.nanoTime() - started);
                // nothing to place and nothing to give back: no more offers until there is (REVIVE)
                suppress = !suppressed && !releasing && pending.isEmpty() && call.getType() == Call.Type.DECLINE;
                if (suppress) {
                    suppressed = true;
                }
            }
            if (call.getType() == Call.Type.DECLINE) {
                offersDeclined.incrementAndGet();
            }
            connection.send(call);
            if (suppress) {
                connection.send(Call.newBuilder().setType(Call.Type.SUPPRESS));
            }
        }
    }

    /** What to do with one offer; writes the placement it creates before the call is sent. */
    private Call.Builder decide(Offer offer) {
        List<org.apache.mesos.v1.Protos.Resource> garbage = new ArrayList<>();
        for (org.apache.mesos.v1.Protos.Resource r : offer.getResourcesList()) {
            if (resources.ours(r) && placements.values().stream().noneMatch(p ->
                    NodeResources.label(r, NodeResources.LABEL_RESOURCE_ID).map(p.resourceIds()::contains).orElse(false))) {
                garbage.add(r);
            }
        }
        if (!garbage.isEmpty()) {
            if (releasing) {
                dirtyAgents.add(offer.getAgentId().getValue());
            }
            return release(offer, garbage);
        }
        if (releasing) {
            dirtyAgents.remove(offer.getAgentId().getValue());
            notifyAll();
            return decline(offer, REFUSE_WHEN_IDLE);
        }
        String agent = offer.getAgentId().getValue();
        // a pending node with a placement on this agent: relaunch on its reservation and volume
        for (Map.Entry<Integer, PendingLaunch> e : pending.entrySet()) {
            NodePlacement p = placements.get(e.getKey());
            if (p != null && p.agentId().equals(agent)) {
                Optional<List<org.apache.mesos.v1.Protos.Resource>> reserved = resources.reservedIn(offer.getResourcesList(), p);
                if (reserved.isEmpty()) {
                    continue;
                }
                return launchOn(offer, e.getKey(), e.getValue(), p, reserved.get(), List.of());
            }
        }
        boolean agentTaken = placements.values().stream().anyMatch(p -> p.agentId().equals(agent));
        if (!agentTaken) {
            PlacementConstraints.Agent offered = null;
            for (Map.Entry<Integer, PendingLaunch> e : pending.entrySet()) {
                if (placements.containsKey(e.getKey())) {
                    continue;
                }
                PlacementConstraints constraints = e.getValue().constraints();
                if (!constraints.isEmpty()) {
                    if (offered == null) {
                        offered = new PlacementConstraints.Agent(offer.getHostname(), NodeResources.attributes(offer));
                    }
                    List<PlacementConstraints.Agent> placed = placements.values().stream()
                            .map(p -> new PlacementConstraints.Agent(p.hostname(), p.attributes())).toList();
                    Optional<PlacementConstraints.Constraint> refusing = constraints.refusing(offered, placed);
                    if (refusing.isPresent()) {
                        LOG.debugf("hivemq-%d not on %s: placement constraint %s %s %s", e.getKey(),
                                offer.getHostname(), refusing.get().field(), refusing.get().operator(),
                                refusing.get().value() == null ? "" : refusing.get().value());
                        continue;
                    }
                }
                Optional<NodeResources.NewReservation> fit = resources.fit(offer, e.getKey(), e.getValue().spec());
                if (fit.isPresent()) {
                    NodeResources.NewReservation n = fit.get();
                    return launchOn(offer, e.getKey(), e.getValue(), n.placement(), reservedAfterCreate(n), reserveAndCreate(n));
                }
            }
        }
        return decline(offer, pending.isEmpty() ? REFUSE_WHEN_IDLE : REFUSE_WHILE_PENDING);
    }

    private Call.Builder launchOn(Offer offer, int index, PendingLaunch launch, NodePlacement placement,
                                  List<org.apache.mesos.v1.Protos.Resource> reserved, List<Offer.Operation> before) {
        NodePlacement placed = placement.withTask(launch.taskId(), "LAUNCHING");
        placements.put(index, placed);
        long writing = System.nanoTime();
        state.writePlacements(placements);
        placementWriteNanos.addAndGet(System.nanoTime() - writing);
        pending.remove(index);
        launching.put(index, launch);
        LOG.infof("hivemq-%d: %s task %s on agent %s", index, before.isEmpty() ? "relaunching" : "reserving for and launching",
                launch.taskId(), offer.getHostname());
        return accept(offer, index, launch, placed, reserved, before, frameworkId);
    }

    private Call.Builder accept(Offer offer, int index, PendingLaunch launch, NodePlacement placed,
                                List<org.apache.mesos.v1.Protos.Resource> reserved, List<Offer.Operation> before,
                                String framework) {
        Offer.Operation group = command.launchGroup(offer, index, launch.spec(), launch.specBase64(), launch.credential(), placed,
                reserved, FrameworkID.newBuilder().setValue(framework).build());
        Call.Accept.Builder accept = Call.Accept.newBuilder().addOfferIds(offer.getId()).addAllOperations(before)
                .addOperations(group)
                .setFilters(org.apache.mesos.v1.Protos.Filters.newBuilder().setRefuseSeconds(REFUSE_WHILE_PENDING));
        return Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept);
    }

    /** The node's resources as its LAUNCH_GROUP uses them: after CREATE the volume stands where its plain reserved disk was. */
    private static List<org.apache.mesos.v1.Protos.Resource> reservedAfterCreate(NodeResources.NewReservation n) {
        List<org.apache.mesos.v1.Protos.Resource> reserved = new ArrayList<>(n.reserve());
        reserved.replaceAll(r -> r.equals(org.apache.mesos.v1.Protos.Resource.newBuilder(n.volume())
                .clearDisk().build()) ? n.volume() : r);
        return reserved;
    }

    private static List<Offer.Operation> reserveAndCreate(NodeResources.NewReservation n) {
        return List.of(
                Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
                        .setReserve(Offer.Operation.Reserve.newBuilder().addAllResources(n.reserve())).build(),
                Offer.Operation.newBuilder().setType(Offer.Operation.Type.CREATE)
                        .setCreate(Offer.Operation.Create.newBuilder().addVolumes(n.volume())).build());
    }

    /**
     * Does once, while subscribing and before the first event is handled, what the first ACCEPT of a JVM would
     * otherwise pay for on the offer path (0.4-1 s when profiled: loading and linking the protobuf builders and their
     * descriptors, the first {@code UUID.randomUUID()} seeding its SecureRandom, the spec's JSON and base64, the task
     * command, the placement JSON): matches a made-up offer with the default node and builds and serializes its
     * ACCEPT. Nothing is sent or stored.
     */
    private void warmUp() {
        long started = System.nanoTime();
        ServiceOptions spec = new OptionsReader().read("{\"service\":{\"name\":\"" + settings.frameworkName()
                + "\",\"mode\":\"mesos\"}}");
        Offer offer = NodeResources.warmUpOffer();
        PendingLaunch launch = new PendingLaunch(spec, NodeCommand.encode(spec), "warm-up", PodNames.task(0) + "__warm-up",
                PlacementConstraints.parse(spec.node().placementConstraint()));
        resources.fit(offer, 0, spec).ifPresent(n -> {
            NodePlacement placed = n.placement().withTask(launch.taskId(), "LAUNCHING");
            accept(offer, 0, launch, placed, reservedAfterCreate(n), reserveAndCreate(n), "warm-up").build().toByteArray();
            decline(offer, REFUSE_WHILE_PENDING).build().toByteArray();
            MesosState.placementsJson(Map.of(0, placed));
        });
        LOG.debugf("offer path warmed up in %d ms", (System.nanoTime() - started) / 1_000_000);
    }

    private Call.Builder release(Offer offer, List<org.apache.mesos.v1.Protos.Resource> garbage) {
        List<org.apache.mesos.v1.Protos.Resource> volumes = garbage.stream()
                .filter(r -> r.hasDisk() && r.getDisk().hasPersistence()).toList();
        List<org.apache.mesos.v1.Protos.Resource> unreserve = garbage.stream().map(r -> {
            if (r.hasDisk() && r.getDisk().hasPersistence()) {
                return r.toBuilder().clearDisk().build();
            }
            return r;
        }).toList();
        Call.Accept.Builder accept = Call.Accept.newBuilder().addOfferIds(offer.getId())
                .setFilters(org.apache.mesos.v1.Protos.Filters.newBuilder().setRefuseSeconds(0));
        if (!volumes.isEmpty()) {
            accept.addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.DESTROY)
                    .setDestroy(Offer.Operation.Destroy.newBuilder().addAllVolumes(volumes)));
        }
        accept.addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.UNRESERVE)
                .setUnreserve(Offer.Operation.Unreserve.newBuilder().addAllResources(unreserve)));
        LOG.infof("releasing on agent %s: %d volume(s) destroyed, %d reserved resource(s) unreserved",
                offer.getHostname(), volumes.size(), unreserve.size());
        return Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept);
    }

    private static Call.Builder decline(Offer offer, double refuseSeconds) {
        return Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                .addOfferIds(offer.getId())
                .setFilters(org.apache.mesos.v1.Protos.Filters.newBuilder().setRefuseSeconds(refuseSeconds)));
    }

    /** Store first, acknowledge after: an update lost to a crash in between is sent again by Mesos. */
    private void update(TaskStatus status) {
        String taskId = status.getTaskId().getValue();
        int index = indexOf(taskId);
        boolean killStray = false;
        boolean retry = false;
        synchronized (this) {
            NodePlacement p = index < 0 ? null : placements.get(index);
            if (p != null && p.taskId().equals(taskId)) {
                boolean permanent = permanentLoss(status) || (!p.reserved() && failedLaunch(status.getState()));
                PendingLaunch launch = launching.remove(index);
                if (permanent) {
                    placements.remove(index);
                    LOG.warnf("hivemq-%d: task %s %s (%s): the node will be placed anew", index, taskId,
                            status.getState(), status.getMessage());
                } else {
                    placements.put(index, p.withTask(taskId, status.getState().name()));
                }
                if (launch != null && status.getReason() == TaskStatus.Reason.REASON_INVALID_OFFERS) {
                    // the node never started: not its failure, so try again with the next offers
                    pending.put(index, launch);
                    retry = true;
                }
                state.writePlacements(placements);
                LOG.infof("hivemq-%d: task %s %s%s", index, taskId, status.getState(),
                        status.hasMessage() ? " (" + status.getMessage() + ")" : "");
                notifyAll();
            } else {
                killStray = active(status.getState());
                if (killStray) {
                    LOG.warnf("task %s (%s) is no current task of ours: killing it", taskId, status.getState());
                }
            }
        }
        if (retry) {
            revive();
        }
        if (killStray) {
            connection.send(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                    .setTaskId(status.getTaskId()).setAgentId(status.getAgentId())));
        }
        if (status.hasUuid()) {
            connection.send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                    .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
        }
    }

    private synchronized void agentLost(String agentId) {
        boolean changed = placements.values().removeIf(p -> {
            if (p.agentId().equals(agentId)) {
                LOG.warnf("hivemq-%d: agent %s is gone; the node will be placed anew", p.index(), p.hostname());
                return true;
            }
            return false;
        });
        if (changed) {
            state.writePlacements(placements);
            notifyAll();
        }
    }

    private static boolean failedLaunch(TaskState state) {
        return state == TaskState.TASK_ERROR || state == TaskState.TASK_DROPPED || state == TaskState.TASK_LOST;
    }

    private static boolean permanentLoss(TaskStatus status) {
        return switch (status.getState()) {
            case TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
            case TASK_LOST -> status.getReason() == TaskStatus.Reason.REASON_AGENT_REMOVED
                    || status.getReason() == TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR;
            default -> false;
        };
    }

    private static boolean active(TaskState state) {
        return switch (state) {
            case TASK_STAGING, TASK_STARTING, TASK_RUNNING, TASK_KILLING -> true;
            default -> false;
        };
    }

    private static int indexOf(String taskId) {
        int cut = taskId.indexOf("__");
        String name = cut < 0 ? taskId : taskId.substring(0, cut);
        String suffix = "-" + PodNames.TASK_NAME;
        return name.endsWith(suffix) ? PodNames.indexOf(name.substring(0, name.length() - suffix.length())) : -1;
    }

    // ------------------------------------------------------------------------------------- what tests and metrics read

    public synchronized Map<Integer, NodePlacement> placements() {
        return Map.copyOf(placements);
    }

    public long offersEvaluated() {
        return offersEvaluated.get();
    }

    /** Time spent deciding about offers, placement writes to the store included, for the benchmark. */
    public long offerDecisionNanos() {
        return decideNanos.get();
    }

    /** The part of {@link #offerDecisionNanos()} spent writing placements to the store before their ACCEPT. */
    public long placementWriteNanos() {
        return placementWriteNanos.get();
    }

    public long offersDeclined() {
        return offersDeclined.get();
    }

    public long offersRescinded() {
        return rescinded.get();
    }

    public boolean connected() {
        return connection.connected();
    }

    public String leaderUrl() {
        return connection.leaderUrl();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String specJson(ServiceOptions spec) {
        return OptionsReader.toJson(spec);
    }
}
