package io.hivemqsuite.sidecar.state;

import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.plan.PlanState;
import io.hivemqsuite.protocol.plan.PlanStore;
import io.hivemqsuite.protocol.sidecar.SidecarChange;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * sidecar-svc's part of the state store, under {@code /hivemq-suite/<svc>/sidecar/}:
 * <pre>
 * plans/&lt;plan&gt;            PlanState JSON: progress survives a restart of sidecar-svc
 * commands/&lt;plan&gt;/&lt;step&gt;   the command id a step sent, so a resumed step asks for the same change again
 * changes/c-&lt;seq&gt;           one completed change each (SidecarChange without seq: the znode's sequence is it)
 * recorded/&lt;run&gt;           marks a plan run whose change is recorded, so it is recorded once
 * </pre>
 */
public final class SidecarState implements PlanStore, AutoCloseable {
    private final CuratorFramework curator;
    private final String base;

    public SidecarState(CuratorFramework curator, String base) {
        this.curator = curator;
        this.base = base;
    }

    public static SidecarState connect(String connectString, String base) {
        CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(connectString)
                .retryPolicy(new ExponentialBackoffRetry(500, 10, 5_000))
                .sessionTimeoutMs(30_000).connectionTimeoutMs(10_000).build();
        curator.start();
        try {
            if (!curator.blockUntilConnected(60, TimeUnit.SECONDS)) {
                curator.close();
                throw new IllegalStateException("cannot reach the state store (ZooKeeper) at " + connectString);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
        }
        return new SidecarState(curator, base);
    }

    public static String basePath(String servicePathName) {
        return "/hivemq-suite/" + servicePathName + "/sidecar";
    }

    @Override
    public Optional<PlanState> load(String planName) {
        return read(base + "/plans/" + planName).map(b -> ControlJson.read(b, PlanState.class));
    }

    @Override
    public void save(PlanState state) {
        write(base + "/plans/" + state.name(), ControlJson.write(state));
    }

    /** The command id of a step in a run: the stored one if the step already sent one in this run, else a new one. */
    public synchronized String commandId(String plan, String step, String run) {
        String path = base + "/commands/" + plan + "/" + step;
        Optional<String> stored = read(path).map(b -> new String(b, StandardCharsets.UTF_8));
        if (stored.isPresent() && stored.get().startsWith(run + "|")) {
            return stored.get().substring(run.length() + 1);
        }
        String id = "sidecar-" + UUID.randomUUID();
        write(path, (run + "|" + id).getBytes(StandardCharsets.UTF_8));
        return id;
    }

    public synchronized void forgetCommand(String plan, String step) {
        try {
            curator.delete().quietly().forPath(base + "/commands/" + plan + "/" + step);
        } catch (Exception e) {
            throw new IllegalStateException("state store: cannot delete a command id: " + e.getMessage(), e);
        }
    }

    /** Records a completed change once per run. */
    public synchronized void recordChange(String run, String plan, Map<String, String> parameters, String extension) {
        String marker = base + "/recorded/" + run;
        try {
            if (curator.checkExists().forPath(marker) != null) {
                return;
            }
            ensure(base + "/changes");
            ensure(base + "/recorded");
            byte[] json = ControlJson.write(new SidecarChange(0, plan, parameters, System.currentTimeMillis(),
                    extension));
            curator.transaction().forOperations(
                    curator.transactionOp().create().forPath(marker),
                    curator.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                            .forPath(base + "/changes/c-", json));
        } catch (KeeperException.NodeExistsException e) {
            // recorded by a concurrent call: once is what we want
        } catch (Exception e) {
            throw new IllegalStateException("state store: cannot record the change of " + plan + ": " + e.getMessage(), e);
        }
    }

    public boolean recorded(String run) {
        try {
            return curator.checkExists().forPath(base + "/recorded/" + run) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** Every recorded change, in order, numbered from 1. */
    public List<SidecarChange> changes() {
        try {
            if (curator.checkExists().forPath(base + "/changes") == null) {
                return List.of();
            }
            List<String> children = new ArrayList<>(curator.getChildren().forPath(base + "/changes"));
            children.sort(Comparator.naturalOrder());
            List<SidecarChange> result = new ArrayList<>();
            for (String child : children) {
                SidecarChange c = ControlJson.read(curator.getData().forPath(base + "/changes/" + child),
                        SidecarChange.class);
                result.add(new SidecarChange(result.size() + 1L, c.plan(), c.parameters(), c.completedAt(),
                        c.extension()));
            }
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("state store: cannot read the changes: " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> read(String path) {
        try {
            return Optional.of(curator.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException("state store: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private void write(String path, byte[] data) {
        try {
            try {
                curator.setData().forPath(path, data);
            } catch (KeeperException.NoNodeException e) {
                curator.create().orSetData().creatingParentsIfNeeded().forPath(path, data);
            }
        } catch (Exception e) {
            throw new IllegalStateException("state store: cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private void ensure(String path) throws Exception {
        if (curator.checkExists().forPath(path) == null) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path);
            } catch (KeeperException.NodeExistsException ignored) {
                // created meanwhile
            }
        }
    }

    @Override
    public void close() {
        curator.close();
    }

}
