package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.dist.LocalLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode runs {@code deploy/marathon/hivemq-group.json}: each app's cmd, run by {@code sh} as Marathon runs it,
 * with the local stand-ins for the sandbox, the ports and the DC/OS env values, must start the service's jar from
 * the local distribution with {@code ServiceJvm}'s options and the settings local mode has always given it. The
 * JRE of the sandbox is a stand-in {@code java} that records what it was started with.
 */
class LocalGroupTest {
    private static final Path DIST = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path home;

    @TempDir
    Path jre;

    private final LocalDistribution dist = new LocalDistribution(DIST);

    private MarathonGroup group() {
        return MarathonGroup.read(DIST.resolve(MarathonGroup.FILE));
    }

    @Test
    void theSchedulerStartsFirstAndEveryOtherServiceAfterIt() {
        List<String> order = group().startOrder().stream().map(MarathonGroup.App::id).toList();

        assertEquals("/hivemq/scheduler", order.get(0));
        assertEquals(List.of(SuiteService.values()).stream().map(SuiteService::appId).sorted().toList(),
                order.stream().sorted().toList());
    }

    @Test
    void eachAppsCmdRunsItsServiceJarWithServiceJvmOptionsAndTheLocalSettings() throws Exception {
        LocalLayout layout = new LocalLayout(home, "svc-a", 7);
        Files.createDirectories(layout.serviceDir());
        Path dir = layout.serviceDir().toAbsolutePath();
        for (MarathonGroup.App app : group().startOrder()) {
            SuiteService service = SuiteService.ofApp(app.id());
            ServiceLauncher.LocalProcess process = ServiceLauncher.translate(app, layout, "svc-a", dist, jre);
            Started started = run(process);

            Path jar = process.sandbox().resolve(service.module()).resolve("quarkus-run.jar");
            // the build's CDS archive is mapped when it sits next to the built jar (it does after `mvn verify`)
            List<String> expected = new ArrayList<>(service.jvm().options(service.jar(dist)));
            expected.addAll(List.of("-jar", jar.toString()));
            assertEquals(expected, started.args(), app.id());
            assertEquals(service.jar(dist).toRealPath(), jar.toRealPath(), app.id() + ": the sandbox's jar is the built one");

            Map<String, String> env = started.env();
            assertEquals(service.address(layout), env.get("QUARKUS_HTTP_HOST"), app.id());
            assertEquals("8080", env.get("QUARKUS_HTTP_PORT"), app.id());
            assertEquals("svc-a", env.get("SUITE_SERVICE_NAME"), app.id());
            assertEquals("7", env.get("SUITE_SLOT"), app.id());
            assertEquals(dir.toString(), env.get("SUITE_SERVICE_DIR"), app.id());
            assertEquals(dir.resolve("api-token").toString(), env.get("SUITE_TOKEN_FILE"), app.id());
            assertEquals(dir.resolve("internal-credential").toString(), env.get("SUITE_CREDENTIAL_FILE"), app.id());
            assertEquals(DIST.toString(), env.get("HIVEMQ_SUITE_DIST"), app.id());
            assertEquals(home.toAbsolutePath().toString(), env.get("HIVEMQ_SUITE_HOME"), app.id());
            assertEquals("2", env.get("MALLOC_ARENA_MAX"), app.id());
            if (service != SuiteService.SCHEDULER) {
                assertEquals(layout.schedulerUrl(), env.get("SUITE_SCHEDULER_URL"), app.id());
            }
            switch (service) {
                case SCHEDULER -> {
                    assertEquals(dir.resolve("spec.json").toString(), env.get("SUITE_SPEC_FILE"));
                    assertEquals("", env.get("SUITE_OPTIONS"), "the spec file, not the group's mesos options");
                    assertEquals("", env.get("SUITE_ZOOKEEPER_CONNECT"), "the embedded ZooKeeper");
                }
                case SIDECAR -> assertEquals(layout.schedulerAddress() + ":2181", env.get("SUITE_ZOOKEEPER_CONNECT"));
                case ENDPOINTS -> {
                    assertEquals("true", env.get("SUITE_DNS_ENABLED"));
                    assertEquals("true", env.get("SUITE_VIP_ENABLED"));
                }
                default -> {
                }
            }
        }
    }

    @Test
    void noEnvValueOfTheGroupThatNamesADcosPlaceReachesALocalService() {
        LocalLayout layout = new LocalLayout(home, "svc-b", 3);
        List<String> leaked = new ArrayList<>();
        for (MarathonGroup.App app : group().apps()) {
            Map<String, String> env = ServiceLauncher.translate(app, layout, "svc-b", dist, jre).env();
            for (String name : app.env().keySet()) {
                String value = env.get(name);
                if (value.contains(".mesos") || value.contains("thisdcos") || value.contains("0.0.0.0")
                        || value.contains("\"mesos\"")) {
                    leaked.add(app.id() + " " + name + "=" + value);
                }
            }
        }
        assertEquals(List.of(), leaked);
    }

    @Test
    void aDependencyOnNoAppOrACycleIsRefusedNamingTheApp() {
        MarathonGroup.App a = app("/g/a", "/g/b");
        MarathonGroup.App b = app("/g/b", "/g/a");
        CliException cycle = assertThrows(CliException.class, () -> new MarathonGroup(List.of(a, b)).startOrder());
        assertTrue(cycle.getMessage().contains("/g/a") && cycle.getMessage().contains("cycle"), cycle.getMessage());

        CliException unknown = assertThrows(CliException.class,
                () -> new MarathonGroup(List.of(app("/g/c", "/g/none"))).startOrder());
        assertTrue(unknown.getMessage().contains("/g/c.dependencies: /g/none"), unknown.getMessage());
    }

    @Test
    void anAppLocalModeCannotRunIsRefusedNamingTheFileAndTheApp() {
        CliException unknown = assertThrows(CliException.class, () -> ServiceLauncher.translate(
                app("/hivemq/kafka", "/hivemq/scheduler"), new LocalLayout(home, "svc-c", 4), "svc-c", dist, jre));
        assertTrue(unknown.getMessage().contains(MarathonGroup.FILE + ": app /hivemq/kafka"), unknown.getMessage());
    }

    private static MarathonGroup.App app(String id, String dependency) {
        return new MarathonGroup.App(id, "true", Map.of(), List.of(dependency), "/q/health", List.of("api"));
    }

    private record Started(List<String> args, Map<String, String> env) {
    }

    /** Runs the app's {@code sh -c cmd} (the supervisor's part) with a {@code java} that writes its args and env. */
    private Started run(ServiceLauncher.LocalProcess process) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(jre.resolve("bin"));
        Path out = jre.resolve("started");
        Files.deleteIfExists(out);
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"arg $a\"; done > " + out + "\nenv >> " + out + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        List<String> command = process.command();
        List<String> shell = command.subList(command.indexOf("sh") + 4, command.size()); // after supervise.sh's args
        ProcessBuilder builder = new ProcessBuilder(shell).directory(process.sandbox().toFile()).redirectErrorStream(true);
        builder.environment().putAll(process.env());
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        List<String> args = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith("arg ")) {
                args.add(line.substring(4));
            } else if (line.contains("=")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return new Started(args, env);
    }
}
