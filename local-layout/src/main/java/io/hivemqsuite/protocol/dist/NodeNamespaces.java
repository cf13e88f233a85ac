package io.hivemqsuite.protocol.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network of a local-mode service whose nodes run in their own network namespaces ({@code ip netns}, root
 * only): one bridge on the host holding the host's side ({@link LocalLayout#bridgeAddress()} and sidecar-svc's
 * address), and per node a namespace with its loopback and one end of a veth pair holding the node's address; the
 * other end is a port of the bridge. The nodes reach each other and the host through the bridge; nothing else is
 * routed (no default route, no NAT). Cutting a node off is taking its host-side veth down ({@link #cut}).
 *
 * <p>Names are derived from the suite home and the service name, so two services never share them and the next
 * install of the same service finds what a crashed run left ({@link #removeAll}). Interface names have at most 15
 * characters, so the bridge and veths carry a hash; the bridge's alias and the namespaces carry the service name:
 * bridge {@code hq<hash>b}, veth {@code hq<hash>n<i>}, namespace {@code hivemq-suite-<service>-<hash>-<i>}.
 */
public final class NodeNamespaces {
    private static final String IP = "ip";

    private final LocalLayout layout;
    private final String hash;

    public NodeNamespaces(LocalLayout layout) {
        this.layout = layout;
        this.hash = hash(layout.home().toAbsolutePath().normalize() + "/" + layout.service());
    }

    public String bridge() {
        return "hq" + hash + "b";
    }

    public String veth(int index) {
        return "hq" + hash + "n" + index;
    }

    public String namespace(int index) {
        return namespacePrefix() + index;
    }

    private String namespacePrefix() {
        return "hivemq-suite-" + layout.service() + "-" + hash + "-";
    }

    /** The command that runs {@code command} inside node {@code index}'s namespace. */
    public List<String> exec(int index, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(IP, "netns", "exec", namespace(index)));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Why network namespaces cannot be used here, or null when they can: {@code ip} must run, and making (and
     * removing) a namespace must be allowed, which takes root (and, in a container, CAP_SYS_ADMIN).
     */
    public static String unavailable() {
        Result list = run(List.of(IP, "netns", "list"));
        if (list.code != 0) {
            return "'ip netns list' failed (is iproute2 installed?): " + list.output.strip();
        }
        String probe = "hivemq-suite-probe-" + ProcessHandle.current().pid();
        Result add = run(List.of(IP, "netns", "add", probe));
        if (add.code != 0) {
            return "'ip netns add' is not allowed here (needs root): " + add.output.strip();
        }
        Result delete = run(List.of(IP, "netns", "delete", probe));
        return delete.code == 0 ? null : "'ip netns delete' failed: " + delete.output.strip();
    }

    /** The bridge with the host's addresses on it, after removing whatever an earlier run of this service left. */
    public void createBridge() {
        removeAll();
        String bridge = bridge();
        check(List.of(IP, "link", "add", bridge, "type", "bridge"));
        // The alias says whose bridge this is to anyone reading `ip link`.
        run(List.of(IP, "link", "set", bridge, "alias", "hivemq-suite " + layout.service() + " nodes"));
        // Node-to-node traffic is bridged; a host firewall's FORWARD policy must not see it (kernels with br_netfilter).
        run(List.of(IP, "link", "set", bridge, "type", "bridge", "nf_call_iptables", "0"));
        check(List.of(IP, "addr", "add", layout.bridgeAddress() + "/24", "dev", bridge));
        check(List.of(IP, "addr", "add", layout.sidecarAddress() + "/24", "dev", bridge));
        check(List.of(IP, "link", "set", bridge, "up"));
    }

    /**
     * Node {@code index}'s namespace with its address. Kept when it exists: a restarted agent may adopt a broker
     * that still runs in it.
     */
    public void createNode(int index) {
        String namespace = namespace(index);
        if (namespaces().contains(namespace)) {
            return;
        }
        check(List.of(IP, "netns", "add", namespace));
        check(List.of(IP, "link", "add", veth(index), "type", "veth", "peer", "name", "eth0", "netns", namespace));
        check(List.of(IP, "link", "set", veth(index), "master", bridge(), "up"));
        check(List.of(IP, "-n", namespace, "link", "set", "lo", "up"));
        check(List.of(IP, "-n", namespace, "addr", "add", layout.nodeAddress(index) + "/24", "dev", "eth0"));
        check(List.of(IP, "-n", namespace, "link", "set", "eth0", "up"));
    }

    /** The node's namespace and, with it, its veth pair. */
    public void removeNode(int index) {
        if (namespaces().contains(namespace(index))) {
            check(List.of(IP, "netns", "delete", namespace(index)));
        }
    }

    /** Every namespace of this service and its bridge (a veth goes with its namespace). */
    public void removeAll() {
        for (String namespace : namespaces()) {
            if (namespace.startsWith(namespacePrefix())) {
                run(List.of(IP, "netns", "delete", namespace));
            }
        }
        if (run(List.of(IP, "link", "show", bridge())).code == 0) {
            check(List.of(IP, "link", "delete", bridge()));
        }
    }

    /** Cuts node {@code index} off from the host and every other node (its namespace and processes stay). */
    public void cut(int index) {
        check(List.of(IP, "link", "set", veth(index), "down"));
    }

    /** Connects a cut-off node again. */
    public void heal(int index) {
        check(List.of(IP, "link", "set", veth(index), "up"));
    }

    /** The namespaces of this service that exist now. */
    public List<String> existing() {
        return namespaces().stream().filter(n -> n.startsWith(namespacePrefix())).toList();
    }

    public boolean bridgeExists() {
        return run(List.of(IP, "link", "show", bridge())).code == 0;
    }

    private static List<String> namespaces() {
        Result list = run(List.of(IP, "netns", "list"));
        if (list.code != 0) {
            return List.of();
        }
        // "name (id: 3)" or just "name"
        return list.output.lines().map(l -> l.split(" ")[0]).filter(n -> !n.isBlank()).toList();
    }

    private static void check(List<String> command) {
        Result result = run(command);
        if (result.code != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + result.code + "): "
                    + result.output.strip());
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
