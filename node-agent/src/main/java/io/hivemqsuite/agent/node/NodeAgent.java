package io.hivemqsuite.agent.node;

import io.hivemqsuite.agent.broker.BrokerLaunch;
import io.hivemqsuite.agent.broker.BrokerSupervisor;
import io.hivemqsuite.agent.config.AgentSettings;
import io.hivemqsuite.agent.config.InternalSecret;
import io.hivemqsuite.agent.control.CommandHandler;
import io.hivemqsuite.agent.control.CommandLog;
import io.hivemqsuite.agent.control.ControlClient;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigRenderer.RenderedConfig;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigSchema;
import io.hivemqsuite.agent.home.BrokerHome;
import io.hivemqsuite.agent.home.ExtensionInstaller;
import io.hivemqsuite.agent.rbac.RbacSpec;
import io.hivemqsuite.agent.routing.NodePeers;
import io.hivemqsuite.agent.routing.RoutingMetrics;
import io.hivemqsuite.agent.sidecar.SidecarCatchUp;
import io.hivemqsuite.agent.sidecar.SidecarExecutor;
import io.hivemqsuite.agent.sidecar.SidecarSettings;
import io.hivemqsuite.agent.sidecar.SupervisorRestarter;
import io.hivemqsuite.agent.status.BrokerPhase;
import io.hivemqsuite.agent.status.NodeStatusBoard;
import io.hivemqsuite.protocol.message.NodeState;
import io.hivemqsuite.protocol.message.NodeStatus;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.security.ClientLimits;
import io.hivemqsuite.protocol.options.ServiceOptions.ListenerEndpoint;
import io.hivemqsuite.protocol.rbac.RbacFiles;
import io.hivemqsuite.protocol.routing.PeerTable;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The agent's life: lay out the home, render and validate the broker config, install the broker extension,
 * supervise the broker, connect the control client; and the reverse on shutdown. Anything wrong with the
 * inputs keeps the broker down and says why in the node status, instead of running a broker on defaults.
 */
@Singleton
public class NodeAgent {
    private static final Logger LOG = Logger.getLogger(NodeAgent.class);

    private final AgentSettings settings;
    private final InternalSecret secret;
    private final NodeStatusBoard board;
    private final MeterRegistry meters;
    private final RoutingMetrics routingMetrics;
    private final NodePeers peers;
    private final SidecarSettings sidecarSettings;
    private BrokerSupervisor supervisor;
    private ControlClient control;
    private SidecarExecutor sidecar;

    @Inject
    public NodeAgent(AgentSettings settings, InternalSecret secret, NodeStatusBoard board, MeterRegistry meters,
                     RoutingMetrics routingMetrics, NodePeers peers, SidecarSettings sidecarSettings) {
        this.settings = settings;
        this.secret = secret;
        this.board = board;
        this.meters = meters;
        this.routingMetrics = routingMetrics;
        this.peers = peers;
        this.sidecarSettings = sidecarSettings;
    }

    void onStart(@Observes StartupEvent event) {
        meters.gauge("hivemq_suite_node_healthy", board, b -> b.current().healthy() ? 1 : 0);
        meters.gauge("hivemq_suite_node_broker_starts", board, b -> b.current().brokerStarts());
        try {
            start();
        } catch (RuntimeException e) {
            LOG.errorf("broker not started: %s", e.getMessage());
            board.broker(BrokerPhase.FAILED, 0, 0, "broker not started: " + e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (control != null) {
            NodeStatus s = board.current();
            control.stop(new NodeStatus(s.node(), s.pod(), s.address(), NodeState.STOPPED, s.brokerPid(),
                    s.brokerStarts(), s.listeners(), "node agent shutting down", System.currentTimeMillis(), null,
                    null, s.brokerVersion()));
        }
        if (sidecar != null) {
            sidecar.stop();
        }
        if (supervisor != null) {
            supervisor.stop();
        }
    }

    /**
     * What a configuration override may refer to of this node; with TLS on, the keystore is installed first so that
     * a template's TLS listener finds it.
     */
    private BrokerConfigRenderer.NodeValues nodeValues(ServiceOptions options) {
        if (!options.tlsEnabled()) {
            return new BrokerConfigRenderer.NodeValues(settings.address(), settings.nodeDir(), null, null);
        }
        io.hivemqsuite.agent.tls.NodeKeystore keystore = new io.hivemqsuite.agent.tls.NodeKeystore(settings.nodeDir());
        keystore.installFromFiles();
        return new BrokerConfigRenderer.NodeValues(settings.address(), settings.nodeDir(), keystore.keystore(),
                keystore.password());
    }

    private void start() {
        ServiceOptions options = new OptionsReader().read(settings.specFile());
        String credential = secret.value().orElseThrow(() -> new IllegalStateException(secret.problem()));
        BrokerHome home = new BrokerHome(settings.brokerHome());
        // A broker an earlier agent left running (that agent was killed) is kept when it runs exactly what this
        // agent would start; otherwise it must go first, because HiveMQ locks its data folder.
        Optional<ProcessHandle> leftOver = BrokerSupervisor.leftOver(settings.pidFile(), home.root());
        boolean freshHome = !Files.exists(home.extensions());
        RenderedConfig config;
        String logback;
        ExtensionSettings extensionSettings;
        Optional<RbacFiles> users;
        // hivemq.version: each shipped release has its own classpath folder; the jar there names the release
        Path brokerLib = settings.distribution().brokerLibDir(options.hivemq().version());
        board.brokerVersion(BrokerConfigSchema.brokerVersion(brokerLib));
        ServiceOptions.Routing routing = options.hivemq().routing();
        // Every mode runs unclustered CE brokers: the router is what makes them one logical cluster.
        boolean routes = routing.enabled();
        try {
            home.create();
            home.installLicense(options.hivemq().license());
            config = io.hivemqsuite.agent.tls.TlsListeners.complete(
                    BrokerConfigRenderer.renderConfig(options, nodeValues(options)), options, settings.address(),
                    settings.nodeDir());
            logback = BrokerConfigRenderer.renderLogback(options.hivemq().logLevel(), home.brokerLog());
            ExtensionSettings.Routing extensionRouting = routes
                    ? new ExtensionSettings.Routing(true, settings.nodeIndex(), routing.subscriptionDigest(),
                            routing.peerQueueMaxMessages(), routing.peerQueueMaxBytes())
                    : ExtensionSettings.Routing.OFF;
            // checked before anything is written: a malformed credentials.xml keeps the broker down, naming the option
            users = RbacSpec.read(settings.specFile());
            extensionSettings = new ExtensionSettings(options.service().dnsName(), InternalCredential.sha256(credential),
                    users.isEmpty(), extensionRouting, new ExtensionSettings.Metrics(options.hivemq().metricsEnabled(),
                            settings.nodeIndex(), options.hivemq().metricsInterval()), users.isPresent());
        } catch (RuntimeException e) {
            BrokerSupervisor.stopStale(settings.pidFile(), home.root());
            throw e;
        }
        Path installedExtension = home.extensions().resolve(ExtensionSettings.EXTENSION_ID);
        boolean adopt = leftOver.isPresent() && !freshHome && BrokerLaunch.runsFrom(leftOver.get(), brokerLib)
                && sameContent(home.configXml(), config.xml())
                && sameContent(home.logbackXml(), logback) && installed(installedExtension).equals(Optional.of(extensionSettings));
        if (!adopt) {
            BrokerSupervisor.stopStale(settings.pidFile(), home.root());
            BrokerConfigSchema.fromBrokerLib(brokerLib)
                    .validateAndWrite(config.xml(), home.configXml());
            BrokerHome.writeAtomically(home.logbackXml(), logback);
        }

        List<String> notes = new ArrayList<>();
        if (!config.omitted().isEmpty()) {
            notes.add("TLS listeners are not supported yet and were left out: " + config.omitted().stream()
                    .map(l -> l.listener().endpointName() + " (port " + l.port() + ")")
                    .collect(Collectors.joining(", ")));
        }
        try {
            if (adopt) {
                // the running broker keeps its extension: only the agent's view of its peer table is restored
                if (routes) {
                    peers.routing(home.extensions(), PeerTable.read(installedExtension));
                }
                // the users may have changed while no agent ran: the running extension reads them within a second
                users.ifPresent(u -> ExtensionInstaller.updateUsers(home.extensions(), u));
            } else {
                PeerTable table = routes ? peers.initial(options) : null;
                ExtensionInstaller.install(settings.extensionZip(), home.extensions(), extensionSettings,
                        routes ? credential : null, table, users.orElse(null));
                new ClientLimits(options.hivemq().restrictions().maxClientIdLength(),
                        options.mqtt().limits().retainedMessagesEnabled(), options.mqtt().limits().maxQos())
                        .write(installedExtension);
                if (routes) {
                    peers.routing(home.extensions(), table);
                }
            }
        } catch (IllegalStateException e) {
            // without a security extension HiveMQ admits no client at all; the broker still runs so that this is
            // visible as a listener that answers but a control client that cannot connect
            LOG.error(e.getMessage());
            notes.add(e.getMessage());
        }
        CommandLog commandLog = new CommandLog(settings.commandsDir());
        sidecar = new SidecarExecutor(settings.nodeIndex(), home, sidecarSettings,
                new SupervisorRestarter(() -> supervisor, board), commandLog);
        notes.addAll(SidecarCatchUp.run(settings.commandsDir().getParent(), freshHome,
                sidecarSettings, credential, sidecar));
        board.configure(config.listeners(), notes);

        ListenerEndpoint mqtt = config.listeners().get(0);
        control = new ControlClient(options.service().dnsName(), settings.nodeIndex(), settings.address(), mqtt.port(),
                credential, board::current,
                new CommandHandler(settings.nodeIndex(), board::current, commandLog, sidecar),
                board::controlConnected,
                counters -> {
                    board.routing(counters);
                    routingMetrics.update(counters);
                });
        board.watch(control::statusChanged);
        board.watch(s -> {
            if (board.phase() == BrokerPhase.RUNNING) {
                control.start();
            }
        });

        supervisor = new BrokerSupervisor(
                new BrokerLaunch(settings.javaExecutable(), options.node().heap(), options.hivemq().javaOptions(), home,
                        brokerLib, settings.pidFile()),
                board, config.listeners(), settings.address());
        if (adopt) {
            supervisor.adopt(leftOver.get());
        } else {
            supervisor.start();
        }
    }

    private static boolean sameContent(Path file, String content) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(content);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The settings of the installed extension; empty when there is none or it cannot be read. */
    private static Optional<ExtensionSettings> installed(Path extensionFolder) {
        try {
            return Optional.of(ExtensionSettings.read(extensionFolder));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Local mode knows every peer's address from the slot. In mesos mode a peer's address is its agent's, known
     * only once the scheduler placed it: the table starts with this node alone and grows as peers are learned.
     */
    public NodeStatus status() {
        return board.current();
    }
}
