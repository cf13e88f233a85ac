package io.hivemqsuite.protocol.endpoint;

import io.hivemqsuite.protocol.node.Listener;
import io.hivemqsuite.protocol.node.PodNames;

/**
 * The DNS names of a service in the DC/OS naming scheme (user guide, "Connecting Clients"). Every name takes the
 * service's DNS name ({@code ServiceOptions.service().dnsName()}), so a foldered service {@code /dev/hivemq}
 * appears as {@code devhivemq}. Names are returned fully qualified with the trailing dot only where DNS
 * answers need it ({@link #absolute}).
 */
public final class DnsNames {
    public static final String AUTOIP_DOMAIN = "autoip.dcos.thisdcos.directory";
    public static final String L4LB_DOMAIN = "l4lb.thisdcos.directory";
    public static final String MESOS_DOMAIN = "mesos";

    private DnsNames() {
    }

    /** Per-node SRV name: {@code _mqtt._hivemq-0._tcp.hivemq.mesos.} */
    public static String srv(String serviceDnsName, Listener listener, int index) {
        return "_" + listener.endpointName() + "._" + serviceDnsName + "-" + index + "._tcp." + serviceDnsName
                + "." + MESOS_DOMAIN + ".";
    }

    /** The node's autoip A name: {@code hivemq-0-node.hivemq.autoip.dcos.thisdcos.directory}. */
    public static String autoip(String serviceDnsName, int index) {
        return PodNames.autoipName(serviceDnsName, index);
    }

    /** The node's Mesos-DNS A name, the target of its SRV records: {@code hivemq-0-node.hivemq.mesos}. */
    public static String mesos(String serviceDnsName, int index) {
        return PodNames.task(index) + "." + serviceDnsName + "." + MESOS_DOMAIN;
    }

    /** The listener's VIP name: {@code mqtt.hivemq.l4lb.thisdcos.directory}. */
    public static String vip(String serviceDnsName, Listener listener) {
        return listener.endpointName() + "." + serviceDnsName + "." + L4LB_DOMAIN;
    }

    /** The name as DNS answers carry it: lower case, with the root dot. */
    public static String absolute(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }
}
