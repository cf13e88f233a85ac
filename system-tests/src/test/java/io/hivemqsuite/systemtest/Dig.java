package io.hivemqsuite.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code dig} binary (Debian bind9-dnsutils) against the local-mode DNS server, 127.0.0.1:8053. */
final class Dig {
    private Dig() {
    }

    /** {@code dig @127.0.0.1 -p 8053 +short TYPE NAME}: the answer lines, empty for NXDOMAIN/no records. */
    static List<String> query(String type, String name) {
        List<String> command = List.of("dig", "@127.0.0.1", "-p", "8053", "+short", "+time=2", "+tries=1", type, name);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("dig did not answer: " + command);
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("$ " + String.join(" ", command) + "\n" + out);
            if (out.contains("connection timed out") || out.contains("communications error")) {
                throw new AssertionError("no DNS server answered: " + out);
            }
            return out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith(";")).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot run dig (apt-get install bind9-dnsutils): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the DNS server on 127.0.0.1:8053 is an endpoint-svc of this suite home (others serve other zones). */
    static boolean servedFrom(String home) {
        return SuiteProcesses.containing(home).stream()
                .anyMatch(p -> p.commandLine().contains("endpoint-svc")) && holderCommandLine().contains(home);
    }

    private static String holderCommandLine() {
        try {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :8053").redirectErrorStream(true).start();
            ss.waitFor(5, TimeUnit.SECONDS);
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int at = out.indexOf("pid=");
            if (at < 0) {
                return "";
            }
            String pid = out.substring(at + 4).split("[,)]")[0];
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", pid, "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
