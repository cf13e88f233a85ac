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

    /**
     * The command line of the process that holds 127.0.0.1:8053 when it is another suite home's endpoint-svc (the one
     * DNS server of the machine belongs to whichever home got it first), empty when it is ours or nobody's: then a
     * DNS answer that does not come is a failure, not a reason to skip. Fails when {@code ss} cannot run, so a
     * missing prerequisite is never read as "someone else holds the port".
     */
    static java.util.Optional<String> otherSuiteHolder(String home) {
        String holder = holderCommandLine();
        return holder.contains("endpoint-svc") && !holder.contains(home)
                ? java.util.Optional.of(holder) : java.util.Optional.empty();
    }

    private static String holderCommandLine() {
        String out;
        try {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :8053").redirectErrorStream(true).start();
            if (!ss.waitFor(5, TimeUnit.SECONDS)) {
                ss.destroyForcibly();
                throw new AssertionError("ss did not answer within 5 s");
            }
            out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ss.exitValue() != 0) {
                throw new AssertionError("ss failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run ss (apt-get install iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        int at = out.indexOf("pid=");
        if (at < 0) {
            return "";
        }
        String pid = out.substring(at + 4).split("[,)]")[0];
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", pid, "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // the holder exited between ss and now
        }
    }
}
