package io.hivemqsuite.scheduler.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.plan.PlanState;
import io.hivemqsuite.protocol.plan.PlanStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The service's state in ZooKeeper, through Curator:
 *
 * <pre>
 * /hivemq-suite/&lt;svc&gt;/target           the target configuration (completed options JSON)
 * /hivemq-suite/&lt;svc&gt;/credential       the internal credential (secret of the suite's own MQTT clients)
 * /hivemq-suite/&lt;svc&gt;/pods/&lt;pod&gt;       PodRecord JSON
 * /hivemq-suite/&lt;svc&gt;/plans/&lt;plan&gt;     PlanState JSON
 * </pre>
 *
 * Every write is synchronous: a caller that acts after a write knows the state is durable.
 */
public final class StateStore implements PlanStore, AutoCloseable {
    public static final String ROOT = "/hivemq-suite";

    private static final ObjectMapper JSON = ControlJson.mapper();

    private final CuratorFramework curator;
    private final String base;

    private StateStore(CuratorFramework curator, String base) {
        this.curator = curator;
        this.base = base;
    }

    public static StateStore connect(String connectString, String servicePathName) {
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(30_000)
                .connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(200, 5))
                .build();
        curator.start();
        try {
            if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
                curator.close();
                throw new IllegalStateException("ZooKeeper at " + connectString + " did not answer within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            curator.close();
            throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
        }
        return new StateStore(curator, ROOT + "/" + servicePathName);
    }

    public String basePath() {
        return base;
    }

    // ---- target configuration and credential ---------------------------------------------------------------

    public Optional<String> target() {
        return readString(base + "/target");
    }

    public void writeTarget(String specJson) {
        writeString(base + "/target", specJson);
    }

    public Optional<String> credential() {
        return readString(base + "/credential");
    }

    public void writeCredential(String secret) {
        writeString(base + "/credential", secret);
    }

    // ---- other records of a feature (update, tls), by path below the service's node ---------------------------

    /** {@code relativePath} like {@code tls/ca}: read as UTF-8. */
    public Optional<String> read(String relativePath) {
        return readString(base + "/" + relativePath);
    }

    public void write(String relativePath, String value) {
        writeString(base + "/" + relativePath, value);
    }

    // ---- pods ------------------------------------------------------------------------------------------------

    public Optional<PodRecord> pod(String podName) {
        return readString(base + "/pods/" + podName).map(json -> decode(json, PodRecord.class));
    }

    public void writePod(PodRecord record) {
        writeString(base + "/pods/" + record.name(), encode(record));
    }

    /** A decommissioned pod is forgotten: it is no member, no recovery candidate, not listed. */
    public void deletePod(String podName) {
        try {
            if (curator.checkExists().forPath(base + "/pods/" + podName) != null) {
                curator.delete().forPath(base + "/pods/" + podName);
            }
        } catch (Exception e) {
            throw new StateException("cannot delete " + base + "/pods/" + podName, e);
        }
    }

    public List<PodRecord> pods() {
        List<PodRecord> result = new ArrayList<>();
        for (String child : children(base + "/pods")) {
            pod(child).ifPresent(result::add);
        }
        result.sort(Comparator.comparingInt(PodRecord::index));
        return result;
    }

    // ---- plans -----------------------------------------------------------------------------------------------

    @Override
    public Optional<PlanState> load(String planName) {
        return readString(base + "/plans/" + planName).map(json -> decode(json, PlanState.class));
    }

    @Override
    public void save(PlanState state) {
        writeString(base + "/plans/" + state.name(), encode(state));
    }

    /** Removes everything of this service: the end of an uninstall. */
    public void deleteAll() {
        try {
            if (curator.checkExists().forPath(base) != null) {
                curator.delete().deletingChildrenIfNeeded().forPath(base);
            }
        } catch (Exception e) {
            throw new StateException("cannot delete " + base, e);
        }
    }

    @Override
    public void close() {
        curator.close();
    }

    private List<String> children(String path) {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new StateException("cannot list " + path, e);
        }
    }

    private Optional<String> readString(String path) {
        try {
            return Optional.of(new String(curator.getData().forPath(path), StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new StateException("cannot read " + path, e);
        }
    }

    private void writeString(String path, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            curator.create().orSetData().creatingParentsIfNeeded().forPath(path, bytes);
        } catch (Exception e) {
            throw new StateException("cannot write " + path, e);
        }
    }

    private static String encode(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new StateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T decode(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new StateException("cannot decode " + type.getSimpleName() + " from '" + json + "'", e);
        }
    }

    public static final class StateException extends RuntimeException {
        public StateException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
