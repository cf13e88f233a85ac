package io.hivemqsuite.protocol.node;

/**
 * The names users see for a node, kept exactly as the DC/OS service had them: pod {@code hivemq-<i>},
 * task {@code hivemq-<i>-node}, whatever the service is called.
 */
public final class PodNames {
    public static final String POD_TYPE = "hivemq";
    public static final String TASK_NAME = "node";

    private PodNames() {
    }

    public static String pod(int index) {
        return POD_TYPE + "-" + index;
    }

    public static String task(int index) {
        return pod(index) + "-" + TASK_NAME;
    }

    /** The index of a pod name such as {@code hivemq-2}; -1 when the name is not one of ours. */
    public static int indexOf(String podName) {
        String prefix = POD_TYPE + "-";
        if (podName == null || !podName.startsWith(prefix)) {
            return -1;
        }
        String digits = podName.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    /** The node's autoip DNS name: {@code hivemq-0-node.hivemq.autoip.dcos.thisdcos.directory}. */
    public static String autoipName(String serviceDnsName, int index) {
        return task(index) + "." + serviceDnsName + ".autoip.dcos.thisdcos.directory";
    }
}
