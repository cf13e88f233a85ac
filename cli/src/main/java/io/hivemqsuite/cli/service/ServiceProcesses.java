package io.hivemqsuite.cli.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes of one local service: supervisor, scheduler, node agents and brokers all carry the service
 * folder on their command line ({@code -Dsuite.service-dir}, {@code -Dsuite.node.dir}, {@code -Dhivemq.home}),
 * so the command line is what finds them, also after the scheduler that started them is gone.
 */
public final class ServiceProcesses {
    private static final Path PROC = Path.of("/proc");

    private ServiceProcesses() {
    }

    public record ServiceProcess(long pid, String commandLine) {
    }

    public static List<ServiceProcess> of(Path serviceDir) {
        String dir = serviceDir.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        List<ServiceProcess> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == self) {
                    continue;
                }
                commandLine(pid).filter(cmd -> mentions(cmd, dir))
                        .ifPresent(cmd -> found.add(new ServiceProcess(pid, cmd)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes in /proc", e);
        }
        return found;
    }

    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            if (raw.length == 0) {
                return Optional.empty(); // a zombie or a kernel thread
            }
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone meanwhile
        }
    }

    /** The folder itself or something inside it, never a sibling whose name merely starts alike. */
    static boolean mentions(String commandLine, String dir) {
        int from = 0;
        while (true) {
            int at = commandLine.indexOf(dir, from);
            if (at < 0) {
                return false;
            }
            int end = at + dir.length();
            if (end == commandLine.length() || commandLine.charAt(end) == '/' || commandLine.charAt(end) == ' '
                    || commandLine.charAt(end) == ':' || commandLine.charAt(end) == '\'') {
                return true;
            }
            from = end;
        }
    }

    public static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    /** A killed child of a process that does not reap it stays as a zombie: it is gone for our purposes. */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
