package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.dist.SchedulerEndpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks the loopback slot ({@code 127.0.<slot>.0/24}) of a new service: the lowest one that no other service
 * of this home has taken and whose scheduler, agent and ZooKeeper addresses nobody else is bound to (a service
 * of another suite home may be running on this machine).
 */
final class SlotPicker {
    private SlotPicker() {
    }

    static int pick(Path home) {
        Set<Integer> taken = takenSlots(home);
        for (int slot = 1; slot <= 250; slot++) {
            if (!taken.contains(slot) && addressesFree(slot)) {
                return slot;
            }
        }
        throw new CliException("no free loopback slot left (1..250 are all taken)");
    }

    static Set<Integer> takenSlots(Path home) {
        Set<Integer> taken = new HashSet<>();
        if (!Files.isDirectory(home)) {
            return taken;
        }
        try (DirectoryStream<Path> services = Files.newDirectoryStream(home)) {
            for (Path service : services) {
                Path file = service.resolve("scheduler.json");
                if (Files.isRegularFile(file)) {
                    try {
                        taken.add(SchedulerEndpoint.read(file).slot());
                    } catch (RuntimeException unreadable) {
                        // a half-written file from a broken install must not block every other slot
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot list " + home + ": " + e.getMessage());
        }
        return taken;
    }

    private static boolean addressesFree(int slot) {
        String prefix = "127.0." + slot + ".";
        return free(prefix + LocalLayout.SCHEDULER_HOST, LocalLayout.SCHEDULER_PORT)
                && free(prefix + LocalLayout.SCHEDULER_HOST, 2181)
                && free(prefix + "1", LocalLayout.AGENT_PORT)
                && free(prefix + "1", 1883);
    }

    private static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
