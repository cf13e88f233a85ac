package io.hivemqsuite.mesosdouble;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the double is set up.
 *
 * @param agents            simulated agents at start
 * @param address           where the master listens
 * @param port              the master's port (0: any free one)
 * @param agentNetwork      the first three octets of the agents' addresses: agent k is {@code <network>.<k+1>}
 * @param workDir           sandboxes and volumes of every agent
 * @param heartbeatInterval the {@code heartbeat_interval_seconds} given in SUBSCRIBED
 * @param cpus              each agent's cpus (likewise mem and disk, in MB)
 * @param portsBegin        each agent's port range
 * @param statusRetry       how long an unacknowledged status update waits before it is sent again
 * @param killGrace         SIGTERM to SIGKILL, unless the KILL call's kill policy says otherwise
 * @param agentAttributes   the agents' attributes (e.g. {@code zone}), in turn: agent k gets entry k modulo the
 *                          list's size; none when empty
 */
public record DoubleOptions(int agents, String address, int port, String agentNetwork, Path workDir,
                            Duration heartbeatInterval, double cpus, double mem, double disk, long portsBegin,
                            long portsEnd, Duration statusRetry, Duration killGrace,
                            List<Map<String, String>> agentAttributes) {

    public static DoubleOptions of(int agents, Path workDir) {
        return new DoubleOptions(agents, "127.0.0.1", 0, "127.0.240", workDir, Duration.ofSeconds(15), 4, 8192,
                16384, 1025, 32000, Duration.ofSeconds(5), Duration.ofSeconds(20), List.of());
    }

    public DoubleOptions withPort(int newPort) {
        return new DoubleOptions(agents, address, newPort, agentNetwork, workDir, heartbeatInterval, cpus, mem, disk,
                portsBegin, portsEnd, statusRetry, killGrace, agentAttributes);
    }

    public DoubleOptions withAgentNetwork(String network) {
        return new DoubleOptions(agents, address, port, network, workDir, heartbeatInterval, cpus, mem, disk,
                portsBegin, portsEnd, statusRetry, killGrace, agentAttributes);
    }

    public DoubleOptions withHeartbeatInterval(Duration interval) {
        return new DoubleOptions(agents, address, port, agentNetwork, workDir, interval, cpus, mem, disk,
                portsBegin, portsEnd, statusRetry, killGrace, agentAttributes);
    }

    public DoubleOptions withAgentResources(double newCpus, double newMem, double newDisk) {
        return new DoubleOptions(agents, address, port, agentNetwork, workDir, heartbeatInterval, newCpus, newMem,
                newDisk, portsBegin, portsEnd, statusRetry, killGrace, agentAttributes);
    }

    public DoubleOptions withAgentAttributes(List<Map<String, String>> attributes) {
        return new DoubleOptions(agents, address, port, agentNetwork, workDir, heartbeatInterval, cpus, mem, disk,
                portsBegin, portsEnd, statusRetry, killGrace, List.copyOf(attributes));
    }

    /** Mesos' agent {@code --attributes} syntax, {@code zone:a;rack:r1}. */
    public static Map<String, String> attributes(String mesosSyntax) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (String pair : mesosSyntax.split(";")) {
            int colon = pair.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("agent attribute '" + pair + "' is not name:value");
            }
            result.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
        return result;
    }
}
