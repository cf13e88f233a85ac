package io.hivemqsuite.protocol.topic;

/**
 * Names of the control topics. Everything the suite says over MQTT lives under {@link #PREFIX}, which the
 * broker extension closes to every client but the suite's own. The prefix deliberately does not start
 * with {@code $}: HiveMQ disconnects clients that publish to {@code $}-topics, internal ones included.
 *
 * <pre>
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/status            retained NodeStatus of node i
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/commands          NodeCommand requests for node i (MQTT 5 request/response)
 * hivemq-suite/&lt;service&gt;/replies/&lt;client-id&gt;       where a requester receives its CommandResults
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/subscriptions     retained subscription digest of node i (router)
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/routing           retained router counters of node i (JSON)
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/retained-sync     a peer asks node i for its retained messages (router)
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/digest-ack        a peer says which of node i's digests it applied (router)
 * hivemq-suite/&lt;service&gt;/nodes/&lt;i&gt;/sessions          session claims and handovers between nodes (router)
 * hivemq-suite/&lt;service&gt;/route/&lt;origin&gt;/...          envelopes of routed publishes (see broker-extension README)
 * </pre>
 */
public final class ControlTopics {
    /** First topic level of all control traffic. */
    public static final String PREFIX = "hivemq-suite";
    /** A filter that covers the whole control prefix, for authorization rules. */
    public static final String ALL = PREFIX + "/#";

    private ControlTopics() {
    }

    public static boolean isControlTopic(String topic) {
        return topic.equals(PREFIX) || topic.startsWith(PREFIX + "/");
    }

    public static String status(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/status";
    }

    /** Every node's status: what a watcher of the whole cluster subscribes to. */
    public static String allStatus(String serviceDnsName) {
        return PREFIX + "/" + serviceDnsName + "/nodes/+/status";
    }

    public static String commands(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/commands";
    }

    public static String replies(String serviceDnsName, String clientId) {
        return PREFIX + "/" + serviceDnsName + "/replies/" + clientId;
    }

    /** Retained digest of the subscription filters held by node i's broker (written by its extension's router). */
    public static String subscriptions(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/subscriptions";
    }

    /** Retained JSON counters of node i's router (queues, drops, envelopes sent and received per peer). */
    public static String routing(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/routing";
    }

    /** Where a joining node asks node i to send it node i's retained messages. */
    public static String retainedSync(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/retained-sync";
    }

    /** Where a peer tells node i the version of node i's subscription digest it now routes by. */
    public static String digestAck(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/digest-ack";
    }

    /**
     * Where node i hears of its peers' client sessions: a client id connecting elsewhere (so node i hands over or
     * ends its session there) and the answers to its own such claims.
     */
    public static String sessions(String serviceDnsName, int node) {
        return PREFIX + "/" + serviceDnsName + "/nodes/" + node + "/sessions";
    }

    /** Prefix (with trailing slash) of the envelopes node {@code origin} sends to its peers. */
    public static String route(String serviceDnsName, int origin) {
        return routePrefix(serviceDnsName) + origin + "/";
    }

    /** Prefix (with trailing slash) of every routing envelope of the service. */
    public static String routePrefix(String serviceDnsName) {
        return PREFIX + "/" + serviceDnsName + "/route/";
    }
}
