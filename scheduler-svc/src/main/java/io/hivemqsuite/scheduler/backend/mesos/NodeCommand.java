package io.hivemqsuite.scheduler.backend.mesos;

import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.ServiceJvm;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DiscoveryInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Port;
import org.apache.mesos.v1.Protos.Ports;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The node pod as a Mesos task group: one task, {@code hivemq-<i>-node}, the node agent, which lays out and runs
 * the broker from the persistent volume. Spec and credential travel in the task's environment and are written to
 * the volume before the agent starts. DiscoveryInfo names the task {@code <service>-<i>} and its ports after the
 * listeners, with a {@code VIP_<n>} label per listener, so that Mesos-DNS publishes
 * {@code _mqtt._<service>-<i>._tcp.<service>.mesos} and the layer-4 load balancer
 * {@code mqtt.<service>.l4lb.thisdcos.directory}.
 */
final class NodeCommand {
    static final String ENV_SPEC = "HIVEMQ_SUITE_SPEC_B64";
    static final String ENV_CREDENTIAL = "HIVEMQ_SUITE_CREDENTIAL";

    private final MesosSettings settings;

    NodeCommand(MesosSettings settings) {
        this.settings = settings;
    }

    /** The spec as the task's environment carries it. */
    static String encode(ServiceOptions spec) {
        return Base64.getEncoder().encodeToString(OptionsReader.toJson(spec).getBytes(StandardCharsets.UTF_8));
    }

    Offer.Operation launchGroup(Offer offer, int index, ServiceOptions spec, String specBase64, String credential,
                                NodePlacement placement, List<Resource> reserved, FrameworkID frameworkId) {
        ExecutorInfo executor = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
                .setExecutorId(ExecutorID.newBuilder().setValue(PodNames.pod(index) + "__" + UUID.randomUUID()))
                .setFrameworkId(frameworkId)
                .setName(PodNames.pod(index))
                .addAllResources(NodeResources.executorShare(reserved))
                .build();
        TaskInfo task = TaskInfo.newBuilder()
                .setName(PodNames.task(index))
                .setTaskId(TaskID.newBuilder().setValue(placement.taskId()))
                .setAgentId(offer.getAgentId())
                .addAllResources(NodeResources.taskShare(reserved, spec.node()))
                .setCommand(command(index, specBase64, credential, placement))
                .setDiscovery(discovery(index, spec))
                .setLabels(Labels.newBuilder()
                        .addLabels(Label.newBuilder().setKey("pod").setValue(PodNames.pod(index)))
                        .addLabels(Label.newBuilder().setKey("hivemq_suite_service").setValue(settings.frameworkName())))
                .build();
        return Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
                .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                        .setTaskGroup(TaskGroupInfo.newBuilder().addTasks(task)))
                .build();
    }

    private CommandInfo command(int index, String specB64, String credential, NodePlacement placement) {
        String dir = "$MESOS_SANDBOX/" + NodeResources.VOLUME_PATH;
        Path agentJar = new LocalDistribution(settings.distribution()).nodeAgentJar();
        // with the agent's class-data sharing archive when the build wrote one, as local mode starts it: each word
        // quoted, so an archive path with whitespace is not split
        String jvmOptions = ServiceJvm.NODE_AGENT.options(agentJar).stream().map(NodeCommand::quote)
                .collect(Collectors.joining(" "));
        String script = String.join(" && ",
                "umask 077",
                "printf '%s' \"$" + ENV_SPEC + "\" | base64 -d > " + dir + "/spec.json",
                "printf '%s' \"$" + ENV_CREDENTIAL + "\" > " + dir + "/internal-credential",
                "exec env MALLOC_ARENA_MAX=" + ServiceJvm.ENVIRONMENT.get("MALLOC_ARENA_MAX") + " "
                        + quote(settings.java().toString()) + " " + jvmOptions
                        + " -Dquarkus.http.host=$LIBPROCESS_IP"
                        + " -Dquarkus.http.port=" + placement.agentPort()
                        + " -Dsuite.node.index=" + index
                        + " -Dsuite.node.address=$LIBPROCESS_IP"
                        + " -Dsuite.node.dir=" + dir
                        + " -Dsuite.spec-file=" + dir + "/spec.json"
                        + " -Dsuite.credential-file=" + dir + "/internal-credential"
                        + " -Dsuite.sidecar-url=" + quote(settings.sidecarUrl())
                        + " -Dhivemq.suite.dist=" + quote(settings.distribution().toString())
                        + " -jar " + quote(agentJar.toString()));
        return CommandInfo.newBuilder().setShell(true).setValue(script)
                .setEnvironment(Environment.newBuilder()
                        .addVariables(Environment.Variable.newBuilder().setName(ENV_SPEC).setValue(specB64))
                        .addVariables(Environment.Variable.newBuilder().setName(ENV_CREDENTIAL).setValue(credential)))
                .build();
    }

    private static DiscoveryInfo discovery(int index, ServiceOptions spec) {
        String service = spec.service().dnsName();
        Ports.Builder ports = Ports.newBuilder();
        int n = 0;
        for (ServiceOptions.ListenerEndpoint listener : spec.enabledListeners()) {
            String name = listener.listener().endpointName();
            Port.Builder port = Port.newBuilder().setNumber(listener.port()).setName(name).setProtocol("tcp");
            if (listener.vip()) {
                port.setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("VIP_" + n++)
                        .setValue(name + ":" + listener.vipPort())));
            }
            ports.addPorts(port);
        }
        // Mesos-DNS: _<port name>._<discovery name>._tcp.<framework>.mesos, the guide's per-node SRV names (DnsNames.srv)
        String discoveryName = service + "-" + index;
        return DiscoveryInfo.newBuilder().setVisibility(DiscoveryInfo.Visibility.EXTERNAL).setName(discoveryName)
                .setPorts(ports).build();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
