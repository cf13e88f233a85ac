package io.hivemqsuite.mesosdouble;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@code run.sh --agents N --port P [--agent-network 127.0.240] [--work-dir DIR] [--heartbeat-seconds S]
 * [--agent-attributes zone:a;rack:r1,zone:b] [--service-account UID=PUBLIC_KEY_PEM_FILE]...}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int agents = 3;
        int port = 5050;
        String network = "127.0.240";
        Path workDir = null;
        long heartbeat = 15;
        java.util.List<java.util.Map<String, String>> attributes = java.util.List.of();
        java.util.Map<String, Path> serviceAccounts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--agents" -> agents = Integer.parseInt(require(args[i], value));
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--agent-network" -> network = require(args[i], value);
                case "--work-dir" -> workDir = Path.of(require(args[i], value));
                case "--heartbeat-seconds" -> heartbeat = Long.parseLong(require(args[i], value));
                case "--agent-attributes" -> attributes = java.util.Arrays.stream(require(args[i], value).split(","))
                        .map(DoubleOptions::attributes).toList();
                case "--service-account" -> {
                    String account = require(args[i], value);
                    int eq = account.indexOf('=');
                    if (eq < 1) {
                        System.err.println("--service-account needs UID=PUBLIC_KEY_PEM_FILE, got " + account);
                        System.exit(2);
                    }
                    serviceAccounts.put(account.substring(0, eq), Path.of(account.substring(eq + 1)));
                }
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: run.sh --agents N --port P [--agent-network A.B.C] [--work-dir DIR] [--heartbeat-seconds S] [--agent-attributes A:V;B:W,A:X] [--service-account UID=PUBLIC_KEY_PEM_FILE]");
                    System.exit(2);
                }
            }
            i++;
        }
        if (workDir == null) {
            workDir = Files.createTempDirectory("mesos-double-");
        }
        DoubleOptions options = DoubleOptions.of(agents, workDir).withPort(port).withAgentNetwork(network)
                .withHeartbeatInterval(Duration.ofSeconds(heartbeat)).withAgentAttributes(attributes);
        MesosMasterDouble master = MesosMasterDouble.start(options);
        for (java.util.Map.Entry<String, Path> account : serviceAccounts.entrySet()) {
            master.addServiceAccount(account.getKey(), Files.readString(account.getValue()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(master::close));
        System.out.println(master.url());
        System.out.println("agents: " + String.join(" ", master.agentHostnames()) + "; work dir " + workDir
                + "; admin: " + master.url() + "/admin/state");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static String require(String flag, String value) {
        if (value == null) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
