package io.hivemqsuite.mesosdouble;

import io.hivemqsuite.protocol.security.ServiceAccountToken;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.hivemqsuite.mesosdouble.resources.ResourcePool;
import io.hivemqsuite.mesosdouble.resources.Resources;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A Mesos master for tests: the v1 scheduler HTTP API ({@code POST /api/v1/scheduler}, protobuf, RecordIO event
 * stream) in front of simulated agents whose tasks run as real processes. It keeps what a real master keeps
 * (frameworks, offers, reservations and volumes per agent, tasks with their status update streams) and refuses
 * what a real master refuses. Faults come through {@link #loseAgent}, {@link #failTask}, {@link #rescindOffers},
 * {@link #failover} and {@link #stopHeartbeats}, or the admin HTTP API. All state is guarded by this object.
 */
public final class MesosMasterDouble implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MesosMasterDouble.class.getName());
    static final String VERSION = "1.11.0";

    private final DoubleOptions options;
    private final String masterId = UUID.randomUUID().toString();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile HttpServer leader;
    private final Map<String, SimulatedAgent> agents = new LinkedHashMap<>();
    private final Map<String, Framework> frameworks = new LinkedHashMap<>();
    private final Set<String> removedFrameworks = ConcurrentHashMap.newKeySet();
    private final Map<String, PendingOffer> offers = new LinkedHashMap<>();
    private final Map<String, SimulatedTask> tasks = new LinkedHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger agentSequence = new AtomicInteger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tick"));
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "task"));
    private final ExecutorService http = Executors.newCachedThreadPool(r -> daemon(r, "http"));
    private final Operations operations = new Operations(this);
    /** DC/OS's token lifetime for a service-account login: five days. */
    private final ServiceAccounts accounts = new ServiceAccounts(this, Duration.ofDays(5));
    private long lastHeartbeatMs;
    private volatile boolean closed;

    record PendingOffer(Offer offer, SimulatedAgent agent, String frameworkId) {
    }

    private MesosMasterDouble(DoubleOptions options) {
        this.options = options;
    }

    public static MesosMasterDouble start(DoubleOptions options) {
        MesosMasterDouble master = new MesosMasterDouble(options);
        for (int i = 0; i < options.agents(); i++) {
            master.addAgent();
        }
        master.leader = master.listen(options.port());
        master.ticker.scheduleWithFixedDelay(master::tick, 100, 100, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(master::killAllTasks, "mesos-double-shutdown"));
        return master;
    }

    private HttpServer listen(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(options.address(), port), 64);
            SchedulerHttp scheduler = new SchedulerHttp(this, server);
            server.createContext("/api/v1/scheduler", scheduler);
            server.createContext("/master/api/v1/scheduler", scheduler);
            server.createContext("/version", exchange -> SchedulerHttp.answer(exchange, 200, "application/json",
                    "{\"version\":\"" + VERSION + "\",\"build_user\":\"mesos-double\"}"));
            server.createContext("/admin", new AdminHttp(this));
            server.createContext(ServiceAccountToken.LOGIN_PATH, accounts);
            server.setExecutor(http);
            server.start();
            servers.add(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.address() + ":" + port, e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "mesos-double-" + name);
        t.setDaemon(true);
        return t;
    }

    // ---------------------------------------------------------------- who and where

    /** The leading master's URL, e.g. {@code http://127.0.0.1:5050}. */
    public String url() {
        return urlOf(leader);
    }

    static String urlOf(HttpServer server) {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    boolean isLeader(HttpServer server) {
        return server == leader;
    }

    String leaderHostPort() {
        InetSocketAddress a = leader.getAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    DoubleOptions options() {
        return options;
    }

    void refuse(String what) {
        LOG.info("refused: " + what);
        refusals.add(what);
    }

    /** Everything the double refused, in order, as sentences naming the call and the reason. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    // ---------------------------------------------------------------- a slow master

    private final Object holds = new Object();
    /** The type of call that waits unhandled, null when none does; guarded by {@link #holds}. */
    private Call.Type holding;
    private int held;

    /**
     * From now on every scheduler call of {@code type} waits in its request, neither handled nor answered, until
     * {@link #releaseHeldCalls()}: a master slow to answer one call while others go through, which is how two calls
     * a scheduler sends from different threads can reach a real master in the other order.
     */
    public void holdCalls(Call.Type type) {
        synchronized (holds) {
            holding = type;
        }
    }

    /** How many calls wait now. */
    public int heldCalls() {
        synchronized (holds) {
            return held;
        }
    }

    /** The waiting calls are handled now, and no call waits any more. */
    public void releaseHeldCalls() {
        synchronized (holds) {
            holding = null;
            holds.notifyAll();
        }
    }

    void waitWhileHeld(Call.Type type) {
        synchronized (holds) {
            if (type != holding) {
                return;
            }
            held++;
            try {
                while (type == holding && !closed) {
                    holds.wait(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held--;
            }
        }
    }

    // ---------------------------------------------------------------- agents

    public synchronized String addAgent() {
        List<Map<String, String>> all = options.agentAttributes();
        return addAgent(all.isEmpty() ? Map.of() : all.get(agentSequence.get() % all.size()));
    }

    /** One more agent with these attributes (e.g. {@code zone}); answers its hostname. */
    public synchronized String addAgent(Map<String, String> attributes) {
        // its own count: offer ids share `sequence`, and an agent's last octet must stay small
        int k = agentSequence.incrementAndGet();
        String hostname = options.agentNetwork() + "." + k;
        String id = masterId + "-S" + k;
        Path dir = options.workDir().resolve("agents").resolve(hostname);
        agents.put(id, new SimulatedAgent(id, hostname, dir, SimulatedAgent.defaultResources(options.cpus(),
                options.mem(), options.disk(), options.portsBegin(), options.portsEnd()), attributes));
        return hostname;
    }

    synchronized Optional<SimulatedAgent> agent(String idOrHostname) {
        return agents.values().stream()
                .filter(a -> a.id.getValue().equals(idOrHostname) || a.hostname.equals(idOrHostname)).findFirst();
    }

    synchronized List<SimulatedAgent> agentList() {
        return List.copyOf(agents.values());
    }

    // ---------------------------------------------------------------- subscribe

    /** The outcome of a SUBSCRIBE: a stream to answer with, or an HTTP error. */
    record Subscription(Framework framework, EventStream stream, int errorStatus, String error) {
    }

    synchronized Subscription subscribe(Call call, com.sun.net.httpserver.HttpExchange exchange) {
        FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
        if (call.hasFrameworkId() && !call.getFrameworkId().equals(info.getId())) {
            return new Subscription(null, null, 400, "'framework_id' differs from 'subscribe.framework_info.id'");
        }
        if (info.getUser().isEmpty() || info.getName().isEmpty()) {
            return new Subscription(null, null, 400, "FrameworkInfo needs a user and a name");
        }
        if (info.hasRole() && info.getRolesCount() > 0) {
            return new Subscription(null, null, 400, "'FrameworkInfo.role' must not be set together with 'roles'");
        }
        Framework framework;
        if (info.hasId()) {
            String id = info.getId().getValue();
            if (removedFrameworks.contains(id)) {
                EventStream stream = new EventStream(exchange, UUID.randomUUID().toString());
                return new Subscription(null, stream, 0, "Framework has been removed");
            }
            framework = frameworks.get(id);
            if (framework == null) {
                // after a master failover the new leader learns of a framework when it re-subscribes
                framework = new Framework(info.getId(), info);
                frameworks.put(id, framework);
            } else {
                framework.info = info;
                if (framework.stream != null) {
                    framework.stream.close();
                }
                releaseOffersOf(framework);
            }
        } else {
            FrameworkID id = FrameworkID.newBuilder().setValue(masterId + "-" + String.format("%04d",
                    frameworks.size())).build();
            framework = new Framework(id, info.toBuilder().setId(id).build());
            frameworks.put(id.getValue(), framework);
        }
        framework.suppressed = call.getSubscribe().getSuppressedRolesCount() > 0;
        EventStream stream = new EventStream(exchange, UUID.randomUUID().toString());
        // headers first, under the lock: the clock must not write an event into a response not yet begun
        try {
            exchange.getResponseHeaders().add("Content-Type", SchedulerHttp.PROTOBUF);
            exchange.getResponseHeaders().add("Mesos-Stream-Id", stream.streamId);
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException e) {
            return new Subscription(null, null, 500, "cannot answer: " + e.getMessage());
        }
        framework.stream = stream;
        subscriptions.merge(framework.id.getValue(), 1, Integer::sum);
        LOG.info("framework " + framework.id.getValue() + " (" + info.getName() + ") subscribed");
        subscribed(framework);
        return new Subscription(framework, stream, 0, null);
    }

    /** Sent right after the 200 of a SUBSCRIBE: SUBSCRIBED, then what the framework still has to acknowledge. */
    private void subscribed(Framework framework) {
        MasterInfo masterInfo = MasterInfo.newBuilder().setId(masterId).setIp(ipv4(options.address()))
                .setPort(leader.getAddress().getPort()).setHostname(options.address()).setVersion(VERSION).build();
        framework.stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(framework.id)
                        .setHeartbeatIntervalSeconds(options.heartbeatInterval().toMillis() / 1000.0)
                        .setMasterInfo(masterInfo))
                .build());
        for (SimulatedTask task : tasks.values()) {
            if (task.frameworkId.equals(framework.id.getValue()) && !task.unacknowledged.isEmpty()) {
                sendHead(task);
            }
        }
    }

    /** MasterInfo.ip is the IPv4 address in network byte order read as a little-endian integer, as libprocess has it. */
    private static int ipv4(String address) {
        String[] parts = address.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4 && i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** For a non-SUBSCRIBE call: the framework, or why it may not call (HTTP status and message). */
    synchronized Object caller(Call call, String streamId) {
        if (!call.hasFrameworkId()) {
            return "400:Expecting 'framework_id' to be present";
        }
        Framework framework = frameworks.get(call.getFrameworkId().getValue());
        if (framework == null || !framework.connected()) {
            return "403:Framework is not subscribed";
        }
        if (streamId == null) {
            return "400:All non-subscribe calls should include the 'Mesos-Stream-Id' header";
        }
        if (!streamId.equals(framework.stream.streamId)) {
            return "400:The stream ID '" + streamId + "' included in this request didn't match the stream ID"
                    + " currently associated with framework ID " + framework.id.getValue();
        }
        return framework;
    }

    // ---------------------------------------------------------------- calls

    synchronized void handle(Framework framework, Call call) {
        switch (call.getType()) {
            case ACCEPT -> operations.accept(framework, call.getAccept());
            case DECLINE -> decline(framework, call.getDecline().getOfferIdsList(),
                    call.getDecline().hasFilters() && call.getDecline().getFilters().hasRefuseSeconds()
                            ? call.getDecline().getFilters().getRefuseSeconds() : 5.0);
            case SUPPRESS -> framework.suppressed = true;
            case REVIVE -> {
                framework.suppressed = false;
                framework.refusedUntil.clear();
            }
            case KILL -> kill(framework, call.getKill());
            case ACKNOWLEDGE -> acknowledge(framework, call.getAcknowledge());
            case RECONCILE -> reconcile(framework, call.getReconcile());
            case TEARDOWN -> teardown(framework);
            default -> refuse(call.getType() + ": not supported by the double");
        }
    }

    private void decline(Framework framework, List<OfferID> ids, double refuseSeconds) {
        for (OfferID id : ids) {
            PendingOffer offer = offers.remove(id.getValue());
            if (offer == null || !offer.frameworkId().equals(framework.id.getValue())) {
                refuse("DECLINE: Offer " + id.getValue() + " is no longer valid");
                continue;
            }
            offer.agent().allocated.subtract(offer.offer().getResourcesList());
            framework.refusedUntil.put(offer.agent().id.getValue(),
                    System.currentTimeMillis() + (long) (refuseSeconds * 1000));
        }
    }

    /** Takes the offer away (ACCEPT uses it up): empty when it is unknown, rescinded or another framework's. */
    Optional<PendingOffer> takeOffer(Framework framework, OfferID id) {
        PendingOffer offer = offers.get(id.getValue());
        if (offer == null || !offer.frameworkId().equals(framework.id.getValue())) {
            return Optional.empty();
        }
        offers.remove(id.getValue());
        return Optional.of(offer);
    }

    private void releaseOffersOf(Framework framework) {
        offers.values().removeIf(o -> {
            if (o.frameworkId().equals(framework.id.getValue())) {
                o.agent().allocated.subtract(o.offer().getResourcesList());
                return true;
            }
            return false;
        });
    }

    private void kill(Framework framework, Call.Kill kill) {
        SimulatedTask task = tasks.get(kill.getTaskId().getValue());
        if (task == null || !task.frameworkId.equals(framework.id.getValue())) {
            masterUpdate(framework, kill.getTaskId(), kill.hasAgentId() ? kill.getAgentId() : null,
                    unknownState(framework), TaskStatus.Reason.REASON_RECONCILIATION, "Task is unknown");
            return;
        }
        if (task.terminal() || task.killRequested) {
            return;
        }
        task.killRequested = true;
        if (framework.hasCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
            queueUpdate(task, TaskState.TASK_KILLING, null, "Killing the task");
        }
        Duration grace = kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()
                ? Duration.ofNanos(kill.getKillPolicy().getGracePeriod().getNanoseconds()) : options.killGrace();
        if (task.process == null) {
            // killed before it started: nothing to stop
            finish(task, TaskState.TASK_KILLED, TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before start");
            return;
        }
        workers.execute(() -> task.terminate(grace));
    }

    private static TaskState unknownState(Framework framework) {
        return framework.hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
                ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST;
    }

    private void acknowledge(Framework framework, Call.Acknowledge ack) {
        SimulatedTask task = tasks.get(ack.getTaskId().getValue());
        if (task == null || task.unacknowledged.isEmpty()) {
            refuse("ACKNOWLEDGE: no pending status update of task " + ack.getTaskId().getValue());
            return;
        }
        TaskStatus head = task.unacknowledged.peekFirst();
        if (!head.getUuid().equals(ack.getUuid())) {
            refuse("ACKNOWLEDGE: uuid does not match the pending update of task " + task.id());
            return;
        }
        task.unacknowledged.removeFirst();
        if (!task.unacknowledged.isEmpty()) {
            sendHead(task);
        } else if (task.terminal()) {
            tasks.remove(task.id());
        }
    }

    private void reconcile(Framework framework, Call.Reconcile reconcile) {
        if (reconcile.getTasksCount() == 0) {
            for (SimulatedTask task : tasks.values()) {
                if (task.frameworkId.equals(framework.id.getValue())) {
                    masterUpdate(framework, task.info.getTaskId(), task.agent.id, task.state,
                            TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: latest task state");
                }
            }
            return;
        }
        for (Call.Reconcile.Task wanted : reconcile.getTasksList()) {
            SimulatedTask task = tasks.get(wanted.getTaskId().getValue());
            if (task != null && task.frameworkId.equals(framework.id.getValue())) {
                masterUpdate(framework, task.info.getTaskId(), task.agent.id, task.state,
                        TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: latest task state");
            } else {
                masterUpdate(framework, wanted.getTaskId(), wanted.hasAgentId() ? wanted.getAgentId() : null,
                        unknownState(framework), TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: Task is unknown");
            }
        }
    }

    private void teardown(Framework framework) {
        String id = framework.id.getValue();
        releaseOffersOf(framework);
        for (SimulatedTask task : List.copyOf(tasks.values())) {
            if (task.frameworkId.equals(id)) {
                task.killRequested = true;
                workers.execute(() -> task.terminate(options.killGrace()));
            }
        }
        removedFrameworks.add(id);
        frameworks.remove(id);
        framework.stream.close();
        LOG.info("framework " + id + " torn down; its reservations stay (as in Mesos)");
    }

    // ---------------------------------------------------------------- tasks

    /** Called by {@link Operations} for every task of a valid LAUNCH_GROUP. */
    void launch(Framework framework, SimulatedTask task) {
        tasks.put(task.id(), task);
        task.agent.allocated.addAll(task.resources);
        String role = framework.role();
        workers.execute(() -> {
            try {
                Process process;
                synchronized (this) {
                    if (task.killRequested || task.terminal()) {
                        return;
                    }
                    process = task.start(role);
                    queueUpdate(task, TaskState.TASK_STARTING, null, "Launching the task");
                    queueUpdate(task, TaskState.TASK_RUNNING, null, "Command started as pid " + process.pid());
                }
                int exit = process.waitFor();
                synchronized (this) {
                    if (task.terminal()) {
                        return;
                    }
                    if (task.killRequested) {
                        finish(task, TaskState.TASK_KILLED, null, "Command terminated with signal");
                    } else if (exit == 0) {
                        finish(task, TaskState.TASK_FINISHED, null, "Command exited with status 0");
                    } else {
                        finish(task, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED,
                                "Command exited with status " + exit);
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    finish(task, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                            "Failed to launch the container: " + e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void finish(SimulatedTask task, TaskState state, TaskStatus.Reason reason, String message) {
        task.agent.allocated.subtract(task.resources);
        queueUpdate(task, state, reason, message);
    }

    /** An agent-side status update: it has a uuid and must be acknowledged; the latest one is the task's state. */
    private void queueUpdate(SimulatedTask task, TaskState state, TaskStatus.Reason reason, String message) {
        task.state = state;
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(task.info.getTaskId()).setState(state)
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setAgentId(task.agent.id)
                .setExecutorId(task.executor.getExecutorId()).setTimestamp(System.currentTimeMillis() / 1000.0)
                .setUuid(ByteString.copyFrom(bytes.array())).setMessage(message);
        if (reason != null) {
            status.setReason(reason);
        }
        task.unacknowledged.addLast(status.build());
        if (task.unacknowledged.size() == 1) {
            sendHead(task);
        }
    }

    private void sendHead(SimulatedTask task) {
        Framework framework = frameworks.get(task.frameworkId);
        task.lastSentMs = System.currentTimeMillis();
        if (framework != null && framework.connected()) {
            framework.stream.send(Event.newBuilder().setType(Event.Type.UPDATE)
                    .setUpdate(Event.Update.newBuilder().setStatus(task.unacknowledged.peekFirst())).build());
        }
    }

    /** A master-generated update (reconciliation, invalid launch, lost agent): no uuid, nothing to acknowledge. */
    void masterUpdate(Framework framework, TaskID taskId, AgentID agentId, TaskState state, TaskStatus.Reason reason,
                      String message) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(taskId).setState(state)
                .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(reason).setMessage(message)
                .setTimestamp(System.currentTimeMillis() / 1000.0);
        if (agentId != null) {
            status.setAgentId(agentId);
        }
        if (framework.connected()) {
            framework.stream.send(Event.newBuilder().setType(Event.Type.UPDATE)
                    .setUpdate(Event.Update.newBuilder().setStatus(status)).build());
        }
    }

    Optional<SimulatedTask> task(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    synchronized List<SimulatedTask> taskList() {
        return List.copyOf(tasks.values());
    }

    boolean taskIdInUse(String id) {
        SimulatedTask task = tasks.get(id);
        return task != null && !task.terminal();
    }

    /** Whether a live task uses this persistent volume (then it cannot be destroyed). */
    boolean volumeInUse(SimulatedAgent agent, String persistenceId) {
        return tasks.values().stream().filter(t -> t.agent == agent && !t.terminal())
                .flatMap(t -> t.resources.stream())
                .anyMatch(r -> Resources.isPersistentVolume(r) && r.getDisk().getPersistence().getId().equals(persistenceId));
    }

    // ---------------------------------------------------------------- the allocator and the clock

    private void tick() {
        try {
            synchronized (this) {
                long now = System.currentTimeMillis();
                boolean heartbeat = now - lastHeartbeatMs >= options.heartbeatInterval().toMillis();
                if (heartbeat) {
                    lastHeartbeatMs = now;
                }
                for (Framework framework : frameworks.values()) {
                    if (!framework.connected()) {
                        continue;
                    }
                    if (heartbeat && framework.stream.heartbeats) {
                        framework.stream.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
                    }
                    allocate(framework, now);
                }
                for (SimulatedTask task : tasks.values()) {
                    if (!task.unacknowledged.isEmpty() && now - task.lastSentMs >= options.statusRetry().toMillis()) {
                        sendHead(task);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("tick failed: " + e);
        }
    }

    private void allocate(Framework framework, long now) {
        if (framework.suppressed || !framework.stream.heartbeats) {
            return;
        }
        String role = framework.role();
        Event.Offers.Builder batch = Event.Offers.newBuilder();
        for (SimulatedAgent agent : agents.values()) {
            if (!agent.active || framework.refusedUntil.getOrDefault(agent.id.getValue(), 0L) > now) {
                continue;
            }
            boolean outstanding = offers.values().stream().anyMatch(o -> o.agent() == agent
                    && o.frameworkId().equals(framework.id.getValue()));
            if (outstanding) {
                continue;
            }
            List<Resource> offerable = agent.available().toList().stream()
                    .filter(r -> !Resources.isReserved(r)
                            || r.getReservations(r.getReservationsCount() - 1).getRole().equals(role))
                    .toList();
            boolean worthOffering = offerable.stream().anyMatch(r -> r.getName().equals("cpus")
                    || r.getName().equals("mem") || Resources.isPersistentVolume(r));
            if (!worthOffering) {
                continue;
            }
            Offer offer = Offer.newBuilder()
                    .setId(OfferID.newBuilder().setValue(masterId + "-O" + sequence.incrementAndGet()))
                    .setFrameworkId(framework.id).setAgentId(agent.id).setHostname(agent.hostname)
                    .addAllResources(offerable).addAllAttributes(agent.offeredAttributes()).build();
            agent.allocated.addAll(offerable);
            offers.put(offer.getId().getValue(), new PendingOffer(offer, agent, framework.id.getValue()));
            batch.addOffers(offer);
        }
        if (batch.getOffersCount() > 0) {
            framework.stream.send(Event.newBuilder().setType(Event.Type.OFFERS).setOffers(batch).build());
        }
    }

    // ---------------------------------------------------------------- faults

    /** The agent's host dies: its tasks are LOST, its offers rescinded, its reservations and volumes gone. */
    public synchronized boolean loseAgent(String idOrHostname) {
        Optional<SimulatedAgent> found = agent(idOrHostname);
        if (found.isEmpty()) {
            return false;
        }
        SimulatedAgent agent = found.get();
        agent.active = false;
        agents.remove(agent.id.getValue());
        rescind(o -> o.agent() == agent);
        for (SimulatedTask task : List.copyOf(tasks.values())) {
            if (task.agent == agent && !task.terminal()) {
                task.state = TaskState.TASK_LOST;
                task.killHard();
                tasks.remove(task.id());
                Framework framework = frameworks.get(task.frameworkId);
                if (framework != null) {
                    masterUpdate(framework, task.info.getTaskId(), agent.id, TaskState.TASK_LOST,
                            TaskStatus.Reason.REASON_AGENT_REMOVED, "Agent " + agent.hostname + " removed");
                }
            }
        }
        for (Framework framework : frameworks.values()) {
            if (framework.connected()) {
                framework.stream.send(Event.newBuilder().setType(Event.Type.FAILURE)
                        .setFailure(Event.Failure.newBuilder().setAgentId(agent.id)).build());
            }
        }
        LOG.info("agent " + agent.hostname + " lost");
        return true;
    }

    /** The task's process dies (SIGKILL): the agent reports TASK_FAILED. */
    public synchronized boolean failTask(String taskId) {
        SimulatedTask task = tasks.get(taskId);
        if (task == null || task.process == null || task.terminal()) {
            return false;
        }
        task.killHard();
        return true;
    }

    /** Takes back every outstanding offer (RESCIND); they are offered again at the next allocation. */
    public synchronized int rescindOffers() {
        return rescind(o -> true);
    }

    private int rescind(java.util.function.Predicate<PendingOffer> which) {
        int count = 0;
        for (PendingOffer offer : List.copyOf(offers.values())) {
            if (!which.test(offer)) {
                continue;
            }
            offers.remove(offer.offer().getId().getValue());
            offer.agent().allocated.subtract(offer.offer().getResourcesList());
            Framework framework = frameworks.get(offer.frameworkId());
            if (framework != null && framework.connected()) {
                framework.stream.send(Event.newBuilder().setType(Event.Type.RESCIND)
                        .setRescind(Event.Rescind.newBuilder().setOfferId(offer.offer().getId())).build());
            }
            count++;
        }
        return count;
    }

    /**
     * A new master is elected: every event stream is closed, outstanding offers are void, and from now on the old
     * address answers 307 with the new leader's. Agents, reservations and tasks live on.
     *
     * @return the new leader's URL
     */
    public synchronized String failover() {
        HttpServer next = listen(0);
        leader = next;
        for (Framework framework : frameworks.values()) {
            releaseOffersOf(framework);
            if (framework.stream != null) {
                framework.stream.close();
            }
        }
        LOG.info("failover: the new leader is " + url());
        return url();
    }

    /**
     * Registers a DC/OS service account: from now on every scheduler call must carry a token its login got
     * (the JWT of the login is checked against this public key).
     */
    public void addServiceAccount(String uid, String publicKeyPem) {
        accounts.add(uid, publicKeyPem);
        LOG.info("service account " + uid + " registered: scheduler calls need its login");
    }

    /** Every login token issued so far stops working (expired or revoked): the next call is answered 401. */
    public int revokeTokens() {
        return accounts.revokeAll();
    }

    /** Successful service-account logins so far. */
    public int logins() {
        return accounts.logins();
    }

    ServiceAccounts accounts() {
        return accounts;
    }

    /** The event streams go silent (no heartbeat, no event) while their connections stay open. */
    public synchronized void stopHeartbeats() {
        frameworks.values().stream().filter(Framework::connected).forEach(f -> f.stream.heartbeats = false);
    }

    // ---------------------------------------------------------------- what tests look at

    /** A reservation or volume on an agent, for tests and the admin API. */
    public record Reserved(String agent, String name, String role, String principal, Map<String, String> labels,
                           String persistenceId, String quantity) {
    }

    /** Every dynamically reserved resource of every agent, volumes included. */
    public synchronized List<Reserved> reservations() {
        List<Reserved> result = new ArrayList<>();
        for (SimulatedAgent agent : agents.values()) {
            for (Resource r : agent.total.toList()) {
                if (!Resources.isReserved(r)) {
                    continue;
                }
                Resource.ReservationInfo top = r.getReservations(r.getReservationsCount() - 1);
                Map<String, String> labels = new LinkedHashMap<>();
                top.getLabels().getLabelsList().forEach(l -> labels.put(l.getKey(), l.getValue()));
                result.add(new Reserved(agent.hostname, r.getName(), top.getRole(), top.getPrincipal(), labels,
                        Resources.isPersistentVolume(r) ? r.getDisk().getPersistence().getId() : null,
                        Resources.describe(r)));
            }
        }
        return result;
    }

    /** A task as the double sees it. */
    public record TaskView(String id, String name, String agent, String state, long pid, Path sandbox) {
    }

    public synchronized List<TaskView> tasks() {
        return tasks.values().stream().map(t -> new TaskView(t.id(), t.info.getName(), t.agent.hostname,
                t.state.name(), t.process == null ? 0 : t.process.pid(), t.sandbox)).toList();
    }

    /** The hostnames of the agents, in order. */
    public synchronized List<String> agentHostnames() {
        return agents.values().stream().map(a -> a.hostname).toList();
    }

    /** A framework as the double sees it. */
    public record FrameworkView(String id, String name, String role, String principal, boolean connected,
                                boolean checkpoint, double failoverTimeoutSeconds, boolean suppressed, int subscriptions) {
    }

    private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();

    public synchronized List<FrameworkView> frameworks() {
        return frameworks.values().stream().map(f -> new FrameworkView(f.id.getValue(), f.info.getName(), f.role(),
                f.info.getPrincipal(), f.connected(), f.info.getCheckpoint(), f.info.getFailoverTimeout(),
                f.suppressed, subscriptions.getOrDefault(f.id.getValue(), 0))).toList();
    }

    public Set<String> removedFrameworks() {
        return Set.copyOf(removedFrameworks);
    }

    synchronized Map<String, PendingOffer> outstandingOffers() {
        return Map.copyOf(offers);
    }

    private void killAllTasks() {
        List<SimulatedTask> all;
        synchronized (this) {
            all = List.copyOf(tasks.values());
        }
        all.forEach(SimulatedTask::killHard);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdownNow();
        synchronized (this) {
            frameworks.values().stream().filter(f -> f.stream != null).forEach(f -> f.stream.close());
        }
        killAllTasks();
        servers.forEach(s -> s.stop(0));
        workers.shutdownNow();
        http.shutdownNow();
    }

    void forEachAgent(Consumer<SimulatedAgent> action) {
        agents.values().forEach(action);
    }
}
