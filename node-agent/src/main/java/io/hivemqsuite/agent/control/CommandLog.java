package io.hivemqsuite.agent.control;

import io.hivemqsuite.protocol.message.CommandResult;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.security.InternalCredential;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Results of recently executed commands, by command id, kept on disk: a retried command (same id) is answered
 * with the stored result instead of being executed again, also by an agent that restarted in between.
 */
public final class CommandLog {
    private static final Logger LOG = Logger.getLogger(CommandLog.class);
    static final int KEEP = 500;

    private final Path dir;
    private final Map<String, CommandResult> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandResult> eldest) {
            return size() > KEEP;
        }
    };

    public CommandLog(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }

    public synchronized Optional<CommandResult> find(String commandId) {
        CommandResult result = recent.get(commandId);
        if (result != null) {
            return Optional.of(result);
        }
        Path file = file(commandId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            result = ControlJson.read(Files.readAllBytes(file), CommandResult.class);
            recent.put(commandId, result);
            return Optional.of(result);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("ignoring unreadable command result %s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }

    public synchronized void remember(String commandId, CommandResult result) {
        recent.put(commandId, result);
        Path file = file(commandId);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.write(tmp, ControlJson.write(result));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("cannot persist the result of command %s: %s", commandId, e.getMessage());
        }
        prune();
    }

    /** Ids come from the network: only a harmless id is used as a file name as is, others are hashed. */
    private Path file(String commandId) {
        String name = commandId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}") ? commandId
                : "sha256-" + InternalCredential.sha256(commandId);
        return dir.resolve(name + ".json");
    }

    private void prune() {
        try (Stream<Path> files = Files.list(dir)) {
            var all = files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparingLong(CommandLog::modified).reversed()).toList();
            for (Path old : all.subList(Math.min(all.size(), KEEP), all.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException e) {
            LOG.debugf("cannot prune %s: %s", dir, e.getMessage());
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
