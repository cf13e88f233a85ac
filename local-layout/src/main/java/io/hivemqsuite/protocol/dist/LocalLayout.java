package io.hivemqsuite.protocol.dist;

import java.nio.file.Path;

/**
 * Where a local-mode service lives on this machine, and which loopback addresses it owns. Every address in
 * 127.0.0.0/8 is on loopback, so each service gets its own {@code 127.0.<slot>.0/24}: node i listens on
 * {@code 127.0.<slot>.<i+1>} with the standard ports, as if each node were a host, and two services side by
 * side never collide.
 *
 * <pre>
 * &lt;home&gt;/&lt;service&gt;/
 *   scheduler.json        how to reach the scheduler (address, token, pid) — written by the launcher
 *   state/zookeeper/      the embedded ZooKeeper's data (the state store)
 *   nodes/hivemq-&lt;i&gt;/    node i's persistent folder (the local stand-in for a Mesos persistent volume)
 *   logs/                 one log per process
 * </pre>
 *
 * @param home the suite home, {@code $HIVEMQ_SUITE_HOME} or {@code ~/.hivemq-suite}
 * @param service the service's path name (folders removed)
 * <p>With {@code nodeNamespaces} (the option {@code service.local_network_namespaces}) each node runs in its own
 * network namespace instead ({@link NodeNamespaces}): a namespace has its own loopback, so the node's address is
 * {@code 198.18.<slot>.<i+1>} on a veth pair to a bridge the suite creates, and sidecar-svc, which the nodes call,
 * listens on the bridge ({@code 198.18.<slot>.202}). 198.18.0.0/15 is reserved for network tests (RFC 2544): it is
 * routed nowhere, so nothing on the machine's real networks is shadowed. Every other process stays on loopback.
 *
 * @param slot the third octet of this service's loopback addresses, 1..250
 * @param nodeNamespaces whether each node runs in its own network namespace
 */
public record LocalLayout(Path home, String service, int slot, boolean nodeNamespaces) {
    public static final String HOME_ENV = "HIVEMQ_SUITE_HOME";
    public static final int SCHEDULER_HOST = 200;
    public static final int SCHEDULER_PORT = 8080;
    public static final int AGENT_PORT = 9100;
    public static final int MAX_NODES = 64;
    /** The endpoint service's host in the slot; it serves its REST API on {@link #ENDPOINT_PORT}. */
    public static final int ENDPOINT_HOST = 201;
    public static final int ENDPOINT_PORT = 8080;
    /** The sidecar service's host in the slot; it serves its REST API on {@link #SIDECAR_PORT}. */
    public static final int SIDECAR_HOST = 202;
    public static final int SIDECAR_PORT = 8080;
    /** metrics-svc's host in the slot; it serves {@code /metrics} (the Prometheus scrape) on {@link #METRICS_PORT}. */
    public static final int METRICS_HOST = 203;
    public static final int METRICS_PORT = 8080;
    /** The host of the service's virtual IPs: every listener's VIP port is opened on this one address. */
    public static final int VIP_HOST = 250;
    /** The machine-wide DNS server of local mode (Mesos-DNS stand-in), shared by every service. */
    public static final String DNS_ADDRESS = "127.0.0.1";
    public static final int DNS_PORT = 8053;
    /** The first two octets of the nodes' addresses when they run in network namespaces (RFC 2544's test range). */
    public static final String NAMESPACE_NET = "198.18";
    /** The host's own address on a service's node bridge. */
    public static final int BRIDGE_HOST = 254;

    public LocalLayout(Path home, String service, int slot) {
        this(home, service, slot, false);
    }

    public LocalLayout {
        if (slot < 1 || slot > 250) {
            throw new IllegalArgumentException("slot must be within 1..250 but is " + slot);
        }
    }

    public static Path defaultHome() {
        String property = System.getProperty("hivemq.suite.home");
        String env = System.getenv(HOME_ENV);
        if (property != null) {
            return Path.of(property);
        }
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".hivemq-suite");
    }

    public Path serviceDir() {
        return home.resolve(service);
    }

    public Path schedulerFile() {
        return serviceDir().resolve("scheduler.json");
    }

    public Path zookeeperDir() {
        return serviceDir().resolve("state/zookeeper");
    }

    public Path nodeDir(int index) {
        return serviceDir().resolve("nodes").resolve("hivemq-" + index);
    }

    public Path logDir() {
        return serviceDir().resolve("logs");
    }

    public String nodeAddress(int index) {
        return nodeAddress(slot, index, nodeNamespaces);
    }

    /** The one rule of where node i of a slot lives; every other place derives addresses from here. */
    public static String nodeAddress(int slot, int index, boolean nodeNamespaces) {
        if (index < 0 || index >= MAX_NODES) {
            throw new IllegalArgumentException("node index must be within 0.." + (MAX_NODES - 1) + " but is " + index);
        }
        return (nodeNamespaces ? NAMESPACE_NET : "127.0") + "." + slot + "." + (index + 1);
    }

    /** Node i of the network a node's own address is in: how a node finds its peers before the scheduler tells it. */
    public static String peerAddress(String ownAddress, int index) {
        return nodeAddress(slotOf(ownAddress), index, ownAddress.startsWith(NAMESPACE_NET + "."));
    }

    /** The slot of a local-mode node address ({@code 127.0.<slot>.x}, or {@code 198.18.<slot>.x} in a namespace). */
    public static int slotOf(String address) {
        String[] octets = address == null ? new String[0] : address.split("\\.");
        String net = octets.length == 4 ? octets[0] + "." + octets[1] : "";
        if (!net.equals("127.0") && !net.equals(NAMESPACE_NET)) {
            throw new IllegalArgumentException("not a local-mode address (127.0.<slot>.<host> or " + NAMESPACE_NET
                    + ".<slot>.<host>): " + address);
        }
        try {
            return Integer.parseInt(octets[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a local-mode address (127.0.<slot>.<host>): " + address);
        }
    }

    /** The host's address on the node bridge (network namespaces only). */
    public String bridgeAddress() {
        return NAMESPACE_NET + "." + slot + "." + BRIDGE_HOST;
    }

    public String schedulerAddress() {
        return "127.0." + slot + "." + SCHEDULER_HOST;
    }

    public String schedulerUrl() {
        return "http://" + schedulerAddress() + ":" + SCHEDULER_PORT;
    }

    public String agentUrl(int index) {
        return "http://" + nodeAddress(index) + ":" + AGENT_PORT;
    }

    public String endpointAddress() {
        return "127.0." + slot + "." + ENDPOINT_HOST;
    }

    public String endpointUrl() {
        return "http://" + endpointAddress() + ":" + ENDPOINT_PORT;
    }

    /** On the node bridge when the nodes run in namespaces: the node agents call it. */
    public String sidecarAddress() {
        return (nodeNamespaces ? NAMESPACE_NET : "127.0") + "." + slot + "." + SIDECAR_HOST;
    }

    public String sidecarUrl() {
        return "http://" + sidecarAddress() + ":" + SIDECAR_PORT;
    }

    public String metricsAddress() {
        return "127.0." + slot + "." + METRICS_HOST;
    }

    public String metricsUrl() {
        return "http://" + metricsAddress() + ":" + METRICS_PORT;
    }

    public String vipAddress() {
        return "127.0." + slot + "." + VIP_HOST;
    }

    /** Zone files of every service's DNS records ({@code <home>/dns/<service>.json}), read by the one DNS server. */
    public static Path dnsDir(Path home) {
        return home.resolve("dns");
    }
}
