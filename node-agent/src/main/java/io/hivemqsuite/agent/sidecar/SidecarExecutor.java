package io.hivemqsuite.agent.sidecar;

import io.hivemqsuite.agent.control.CommandLog;
import io.hivemqsuite.agent.home.BrokerHome;
import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.NodeCommand;
import io.hivemqsuite.protocol.plan.PlanRequestException;
import io.hivemqsuite.archive.ArchiveFetcher;
import io.hivemqsuite.protocol.sidecar.ConfigPath;
import io.hivemqsuite.archive.ExtensionArchive;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.hivemqsuite.protocol.sidecar.SidecarPlans.*;

/**
 * Executes sidecar changes on this node: licenses, extensions, extension config files. An apply can take a broker
 * restart, longer than a request may wait and across the loss of the very MQTT connection it came in on; so it runs
 * on its own thread, the requester repeats the same command id, and is told "running" until the stored final
 * result answers it. One change at a time per node.
 */
public final class SidecarExecutor {
    private static final Logger LOG = Logger.getLogger(SidecarExecutor.class);
    public static final String MARKER = "DISABLED";

    private final int node;
    private final BrokerHome home;
    private final SidecarSettings settings;
    private final BrokerRestarter restarter;
    private final CommandLog log;
    private final Map<String, Boolean> running = new HashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sidecar-executor");
        t.setDaemon(true);
        return t;
    });

    public SidecarExecutor(int node, BrokerHome home, SidecarSettings settings, BrokerRestarter restarter,
                           CommandLog log) {
        this.node = node;
        this.home = home;
        this.settings = settings;
        this.restarter = restarter;
        this.log = log;
    }

    public static boolean handles(String type) {
        return APPLY_COMMAND.equals(type) || CHECK_COMMAND.equals(type);
    }

    public CommandResult handle(NodeCommand command) {
        String plan = command.params().get(PLAN_PARAM);
        Map<String, String> params = new LinkedHashMap<>(command.params());
        params.remove(PLAN_PARAM);
        if (CHECK_COMMAND.equals(command.type())) {
            try {
                check(plan, params);
                return new CommandResult(command.id(), node, true, plan + " can be applied on node " + node,
                        Map.of(STATE, DONE));
            } catch (PlanRequestException e) {
                return refused(command.id(), e);
            }
        }
        synchronized (this) {
            Optional<CommandResult> done = log.find(command.id());
            if (done.isPresent()) {
                return done.get();
            }
            if (!running.containsKey(command.id())) {
                running.put(command.id(), true);
                worker.execute(() -> {
                    CommandResult result = run(command.id(), plan, params, restarter);
                    synchronized (this) {
                        log.remember(command.id(), result);
                        running.remove(command.id());
                    }
                });
            }
        }
        return new CommandResult(command.id(), node, false, plan + " is running on node " + node,
                Map.of(STATE, RUNNING));
    }

    /** Applies a change right now on the calling thread; for the catch-up before the broker's first start. */
    public CommandResult applyNow(String id, String plan, Map<String, String> params) {
        return run(id, plan, params, BrokerRestarter.NONE);
    }

    public void stop() {
        worker.shutdownNow();
    }

    private CommandResult run(String id, String plan, Map<String, String> params, BrokerRestarter restart) {
        try {
            if (plan == null || !isSidecarPlan(plan)) {
                throw new PlanRequestException("plan", "unknown sidecar plan '" + plan + "'");
            }
            checkParameters(plan, params);
            String message = switch (plan) {
                case ADD_LICENSE -> addLicense(params);
                case ADD_EXTENSION -> addExtension(params, restart);
                case ADD_CONFIG -> addConfig(params, restart);
                case ENABLE_EXTENSION -> enable(params.get(EXTENSION), restart);
                case DISABLE_EXTENSION -> disable(params.get(EXTENSION), restart);
                default -> delete(params.get(EXTENSION), restart);
            };
            LOG.infof("%s on node %d: %s", plan, node, message);
            return new CommandResult(id, node, true, message, Map.of(STATE, DONE));
        } catch (PlanRequestException e) {
            LOG.warnf("%s refused on node %d: %s", plan, node, e.getMessage());
            return refused(id, e);
        } catch (ChangeFailed e) {
            LOG.warnf("%s failed on node %d: %s", plan, node, e.getMessage());
            return new CommandResult(id, node, false, e.getMessage(), Map.of(STATE, DONE));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "%s failed on node %d", plan, node);
            return new CommandResult(id, node, false, plan + " failed on node " + node + ": " + e, Map.of(STATE, DONE));
        }
    }

    private CommandResult refused(String id, PlanRequestException e) {
        return new CommandResult(id, node, false, e.getMessage(), Map.of(STATE, DONE, FIELD, e.field()));
    }

    // ---- checks: change nothing ------------------------------------------------------------------------------

    void check(String plan, Map<String, String> params) {
        if (plan == null || !isSidecarPlan(plan)) {
            throw new PlanRequestException("plan", "unknown sidecar plan '" + plan + "'");
        }
        checkParameters(plan, params);
        switch (plan) {
            case ADD_EXTENSION -> {
                byte[] zip = settings.fetcher().fetch(params.get(URL));
                ArchiveFetcher.verify(zip, params.get(SHA256));
                ExtensionArchive.inspect(zip, settings.maxUnpackedBytes());
            }
            case ADD_CONFIG -> ConfigPath.resolve(home.extensions(), params.get(PATH));
            case ENABLE_EXTENSION, DISABLE_EXTENSION, DELETE_EXTENSION -> existingExtension(params.get(EXTENSION));
            default -> {
            }
        }
    }

    private Path existingExtension(String id) {
        Path folder = home.extensions().resolve(id);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new PlanRequestException(EXTENSION, "extension '" + id + "' does not exist on node " + node);
        }
        return folder;
    }

    // ---- the changes -------------------------------------------------------------------------------------------

    private String addLicense(Map<String, String> params) throws IOException {
        byte[] license = decodeBase64(LICENSE, params.get(LICENSE));
        Files.createDirectories(home.license());
        String file = licenseFileName(params.get(LICENSE_NAME));
        writeAtomically(home.license().resolve(file), license);
        return "license " + file + " written (" + license.length + " bytes)";
    }

    private String addExtension(Map<String, String> params, BrokerRestarter restart) throws IOException {
        byte[] zip = settings.fetcher().fetch(params.get(URL));
        ArchiveFetcher.verify(zip, params.get(SHA256));
        Path work = workDir();
        Path staging = work.resolve("staging");
        deleteRecursively(staging);
        Path unpacked = ExtensionArchive.unpack(zip, settings.maxUnpackedBytes(), staging);
        String id = unpacked.getFileName().toString();
        Path target = home.extensions().resolve(id);
        Path backup = work.resolve("backup-" + id);
        deleteRecursively(backup);
        boolean replaced = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (replaced) {
            Files.move(target, backup, StandardCopyOption.ATOMIC_MOVE);
        }
        // one rename: the broker sees no extension folder or a whole one, never a half-unpacked one
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(staging);
        String problem = restartAndVerify(restart, target, "extension " + id + " added");
        if (problem != null) {
            deleteRecursively(target);
            if (replaced) {
                Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE);
            }
            String undo = restart.restartAndAwaitHealthy("undoing add-extension " + id);
            throw new ChangeFailed("extension " + id + " failed on node " + node + ": " + problem
                    + "; the change was undone" + (undo == null ? "" : " but the broker " + undo));
        }
        deleteRecursively(backup);
        return "extension " + id + " installed (" + zip.length + " bytes, sha256 " + ArchiveFetcher.sha256(zip)
                + ") and running";
    }

    private String addConfig(Map<String, String> params, BrokerRestarter restart) throws IOException {
        String path = params.get(PATH);
        Path file = ConfigPath.resolve(home.extensions(), path);
        byte[] content = decodeBase64(FILE_CONTENT, params.get(FILE_CONTENT));
        Optional<byte[]> before = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        if (before.isPresent() && java.util.Arrays.equals(before.get(), content)) {
            return "config file " + path + " already has this content";
        }
        Files.createDirectories(file.getParent());
        writeAtomically(file, content);
        Path extension = home.extensions().resolve(ConfigPath.parse(path).get(0));
        if (Files.exists(extension.resolve(MARKER))) {
            return "config file " + path + " written (" + content.length + " bytes); extension is disabled, no restart";
        }
        String problem = restartAndVerify(restart, extension, "config " + path + " changed");
        if (problem != null) {
            if (before.isPresent()) {
                writeAtomically(file, before.get());
            } else {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(extension.resolve(MARKER));
            String undo = restart.restartAndAwaitHealthy("undoing add-config " + path);
            throw new ChangeFailed("with the new " + path + " the extension failed on node " + node + ": " + problem
                    + "; the file was restored" + (undo == null ? "" : " but the broker " + undo));
        }
        return "config file " + path + " written (" + content.length + " bytes)";
    }

    private String enable(String id, BrokerRestarter restart) throws IOException {
        Path folder = existingExtension(id);
        Path marker = folder.resolve(MARKER);
        if (!Files.exists(marker)) {
            return "extension " + id + " is already enabled";
        }
        Files.delete(marker);
        String problem = restartAndVerify(restart, folder, "extension " + id + " enabled");
        if (problem != null) {
            writeAtomically(marker, new byte[0]);
            String undo = restart.restartAndAwaitHealthy("undoing enable-extension " + id);
            throw new ChangeFailed("extension " + id + " failed to start on node " + node + ": " + problem
                    + "; it was disabled again" + (undo == null ? "" : " but the broker " + undo));
        }
        return "extension " + id + " enabled and running";
    }

    private String disable(String id, BrokerRestarter restart) throws IOException {
        Path folder = existingExtension(id);
        Path marker = folder.resolve(MARKER);
        if (Files.exists(marker)) {
            return "extension " + id + " is already disabled";
        }
        writeAtomically(marker, new byte[0]);
        String problem = restart.restartAndAwaitHealthy("extension " + id + " disabled");
        if (problem != null) {
            Files.deleteIfExists(marker);
            String undo = restart.restartAndAwaitHealthy("undoing disable-extension " + id);
            throw new ChangeFailed("broker not healthy after disabling " + id + " on node " + node + ": " + problem
                    + "; the extension was enabled again" + (undo == null ? "" : " but the broker " + undo));
        }
        return "extension " + id + " disabled";
    }

    private String delete(String id, BrokerRestarter restart) throws IOException {
        Path folder = home.extensions().resolve(id);
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return "extension " + id + " is already gone";
        }
        if (!Files.exists(folder.resolve(MARKER))) {
            disable(id, restart);
        }
        // out of the extensions folder in one rename, then away: a broker start never sees half a folder
        Path trash = workDir().resolve("deleted-" + id);
        deleteRecursively(trash);
        Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(trash);
        return "extension " + id + " deleted";
    }

    /** Null when the broker came back healthy and left the extension enabled, else what went wrong. */
    private String restartAndVerify(BrokerRestarter restart, Path extension, String why) {
        String problem = restart.restartAndAwaitHealthy(why);
        if (problem != null) {
            return "the broker " + problem;
        }
        if (Files.exists(extension.resolve(MARKER))) {
            return "the broker could not start the extension and disabled it (see " + home.brokerLog() + ")";
        }
        return null;
    }

    private Path workDir() throws IOException {
        // beside the extensions folder (same file system, so moves are renames) but outside it: HiveMQ never scans it
        return Files.createDirectories(home.root().resolve("sidecar-work"));
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A change that was tried, failed on this node, and was undone. */
    private static final class ChangeFailed extends RuntimeException {
        ChangeFailed(String message) {
            super(message);
        }
    }
}
