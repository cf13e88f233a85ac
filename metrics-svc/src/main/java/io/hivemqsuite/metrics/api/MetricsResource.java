package io.hivemqsuite.metrics.api;

import io.hivemqsuite.metrics.node.ClusterWatch;
import io.hivemqsuite.metrics.node.NodeView;
import io.hivemqsuite.metrics.prometheus.ClusterExposition;
import io.hivemqsuite.metrics.suite.SuiteServices;
import io.hivemqsuite.protocol.metrics.MetricsSnapshot;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Prometheus scrape of the whole cluster, and the same values as JSON for {@code hivemq metrics}. */
@Path("/")
public class MetricsResource {
    /** The classic text format: it allows HiveMQ's counter names, which OpenMetrics would need to end in _total. */
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    ClusterWatch cluster;
    @Inject
    SuiteSettings settings;
    @Inject
    PrometheusMeterRegistry registry;
    @Inject
    SuiteServices suite;

    @GET
    @Path("metrics")
    @Produces(TEXT_FORMAT)
    public String scrape() {
        boolean enabled = cluster.options() == null || cluster.options().hivemq().metricsEnabled();
        return ClusterExposition.render(settings.requiredServiceName(), enabled, cluster.nodes(), suite.scrape())
                + registry.scrape();
    }

    /** One entry per node: reporting or not, the age of its snapshot, its broker metrics by HiveMQ's dotted names. */
    public record NodeMetrics(String node, boolean reporting, boolean connected, double snapshotAgeSeconds,
                              String state, Integer brokerRestarts, Map<String, Double> metrics) {
    }

    public record ClusterMetrics(String service, boolean metricsEnabled, int intervalSeconds, List<NodeMetrics> nodes) {
    }

    @GET
    @Path("v1/metrics")
    @Produces(MediaType.APPLICATION_JSON)
    public Response json(@QueryParam("node") String pod) {
        if (cluster.options() == null) {
            return error(503, cluster.problem(), null);
        }
        List<NodeView> views = cluster.nodes();
        if (pod != null) {
            int index = PodNames.indexOf(pod);
            if (index < 0) {
                return error(400, "node must be a pod name such as hivemq-0 but is '" + pod + "'", "node");
            }
            views = views.stream().filter(v -> v.node() == index).toList();
            if (views.isEmpty()) {
                return error(404, "the service has no node " + pod, "node");
            }
        }
        List<NodeMetrics> nodes = views.stream().map(MetricsResource::nodeMetrics).toList();
        return Response.ok(new ClusterMetrics(settings.requiredServiceName(),
                cluster.options().hivemq().metricsEnabled(),
                cluster.options().hivemq().metricsInterval(), nodes)).build();
    }

    private static NodeMetrics nodeMetrics(NodeView v) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (v.snapshot() != null) {
            v.snapshot().samples().stream().sorted(java.util.Comparator.comparing(MetricsSnapshot.Sample::name))
                    .forEach(s -> metrics.put(s.name(), s.value()));
        }
        return new NodeMetrics(v.pod(), v.reporting(), v.connected(), v.ageSeconds(),
                v.status() == null ? null : v.status().state().name(),
                v.status() == null ? null : Math.max(0, v.status().brokerStarts() - 1), metrics);
    }

    private static Response error(int status, String message, String field) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("field", field);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
