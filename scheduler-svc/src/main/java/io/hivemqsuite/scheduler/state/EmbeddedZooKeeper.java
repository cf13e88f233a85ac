package io.hivemqsuite.scheduler.state;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real single ZooKeeper server inside the scheduler process, for local mode where no ensemble exists. Its
 * snapshots and transaction log live in the service's state folder, so the state survives a scheduler restart.
 * Built from {@link ZooKeeperServer} directly rather than ZooKeeperServerMain, which would also open the admin
 * HTTP server on port 8080.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final int TICK_MS = 2000;
    private static final int MAX_CLIENT_CONNECTIONS = 60;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory factory;
    private final String connectString;

    private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory, String connectString) {
        this.server = server;
        this.factory = factory;
        this.connectString = connectString;
    }

    public static EmbeddedZooKeeper start(Path dataDir, String host, int port) {
        System.setProperty("zookeeper.admin.enableServer", "false");
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServer server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), TICK_MS);
            ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress(host, port),
                    MAX_CLIENT_CONNECTIONS);
            factory.startup(server);
            return new EmbeddedZooKeeper(server, factory, host + ":" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded ZooKeeper on " + host + ":" + port
                    + " with data in " + dataDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ZooKeeper", e);
        }
    }

    public String connectString() {
        return connectString;
    }

    @Override
    public void close() {
        factory.shutdown();
        server.shutdown();
    }
}
