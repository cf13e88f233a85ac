package io.hivemqsuite.cli.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.cli.service.Json;

import java.util.List;

/**
 * Configurations that expose the brokers outside the cluster network: the Edge-LB pool of the user guide
 * ("Using Edge-LB") and, for local mode, an HAProxy configuration with the same shape (one TCP frontend, one
 * backend of the nodes' MQTT listeners).
 */
public final class PublicAccess {
    private PublicAccess() {
    }

    /** The user guide's {@code hivemq-pool.json}, with the service's name as pool and framework name. */
    public static String edgeLbPool(String serviceName, int frontendPort) {
        ObjectNode pool = Json.MAPPER.createObjectNode();
        pool.put("apiVersion", "V2");
        pool.put("name", serviceName.replace("/", ""));
        pool.put("count", 1);
        ObjectNode haproxy = pool.putObject("haproxy");
        haproxy.putObject("stats").put("bindPort", 9090);
        ObjectNode frontend = haproxy.putArray("frontends").addObject();
        frontend.put("bindPort", frontendPort);
        frontend.put("protocol", "TCP");
        frontend.putObject("linkBackend").put("defaultBackend", "mqtt");
        ObjectNode backend = haproxy.putArray("backends").addObject();
        backend.put("name", "mqtt");
        backend.put("protocol", "TCP");
        ObjectNode service = backend.putArray("services").addObject();
        service.putObject("mesos").put("frameworkName", serviceName).put("taskNamePattern", ".*-node");
        service.putObject("endpoint").put("portName", "mqtt");
        return Json.pretty(pool);
    }

    /**
     * An HAProxy configuration: TCP frontend on {@code bind} ({@code address:port}), backend = every node's MQTT
     * address, least connections, health-checked so a stopped node leaves the rotation.
     */
    public static String haproxy(String serviceName, String bind, List<String> mqttAddresses) {
        String name = serviceName.replace("/", "");
        StringBuilder cfg = new StringBuilder();
        cfg.append("# HAProxy in front of the MQTT listeners of service ").append(serviceName)
                .append(" (hivemq endpoints --haproxy)\n");
        // 2 fds per proxied connection: a maxconn above half the fd limit stops haproxy from starting.
        cfg.append("global\n    maxconn 4096\n\n");
        cfg.append("defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 1h\n    timeout server 1h\n");
        cfg.append("    option tcpka\n\n");
        cfg.append("frontend ").append(name).append("-mqtt\n");
        cfg.append("    bind ").append(bind).append("\n");
        cfg.append("    default_backend ").append(name).append("-mqtt-nodes\n\n");
        cfg.append("backend ").append(name).append("-mqtt-nodes\n");
        cfg.append("    balance leastconn\n");
        for (int i = 0; i < mqttAddresses.size(); i++) {
            cfg.append("    server ").append(name).append("-").append(i).append("-node ").append(mqttAddresses.get(i))
                    .append(" check inter 2s fall 2 rise 1\n");
        }
        return cfg.toString();
    }

    public static List<String> addresses(JsonNode endpoint) {
        ArrayNode addresses = (ArrayNode) endpoint.path("address");
        return java.util.stream.StreamSupport.stream(addresses.spliterator(), false).map(JsonNode::asText).toList();
    }
}
