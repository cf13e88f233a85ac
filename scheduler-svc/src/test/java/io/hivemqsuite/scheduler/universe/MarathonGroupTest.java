package io.hivemqsuite.scheduler.universe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemqsuite.protocol.options.OptionsReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/marathon/hivemq-group.json}, the suite's services as apps of one Marathon group, checked against
 * Marathon's v2 API types (group.raml, app.raml and the types they use: only their properties, with their JSON
 * types, enums and minimums) and against the services: every env variable an app sets is a setting its service
 * reads (MicroProfile Config's env form of a {@code @ConfigProperty} or {@code getOptionalValue} name, or
 * Quarkus' own HTTP settings, or {@code JAVA_OPTS}, which the app's cmd itself puts before {@code -jar}). Local mode
 * starts its services from this file too (the CLI's {@code ServiceLauncher}; its {@code LocalGroupTest} runs each
 * app's cmd with the local stand-ins).
 */
class MarathonGroupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("..");
    private static final Path GROUP = ROOT.resolve("deploy/marathon/hivemq-group.json");
    private static final Map<String, String> MODULES = Map.of("/hivemq/scheduler", "scheduler-svc",
            "/hivemq/endpoint", "endpoint-svc", "/hivemq/sidecar", "sidecar-svc", "/hivemq/metrics", "metrics-svc");
    private static final Set<String> QUARKUS = Set.of("QUARKUS_HTTP_HOST", "QUARKUS_HTTP_PORT", "QUARKUS_LOG_LEVEL");

    private static final Set<String> GROUP_PROPERTIES = Set.of("id", "apps", "groups", "dependencies", "version",
            "enforceRole");
    private static final Set<String> APP_PROPERTIES = Set.of("id", "acceptedResourceRoles", "args", "backoffFactor",
            "backoffSeconds", "cmd", "constraints", "container", "cpus", "dependencies", "disk", "env", "executor",
            "fetch", "healthChecks", "instances", "labels", "maxLaunchDelaySeconds", "mem", "gpus", "ipAddress",
            "ports", "portDefinitions", "readinessChecks", "residency", "requirePorts", "secrets", "storeUrls",
            "taskKillGracePeriodSeconds", "upgradeStrategy", "uris", "user", "version", "versionInfo",
            "killSelection", "unreachableStrategy", "networks", "role");
    private static final Set<String> HEALTH_PROPERTIES = Set.of("protocol", "path", "portIndex", "port", "command",
            "gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "delaySeconds",
            "ipProtocol", "ignoreHttp1xx");
    private static final Set<String> HEALTH_PROTOCOLS = Set.of("HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP",
            "MESOS_HTTPS", "MESOS_TCP");
    private static final Set<String> PORT_PROPERTIES = Set.of("port", "protocol", "name", "labels");
    private static final Set<String> FETCH_PROPERTIES = Set.of("uri", "extract", "executable", "cache", "destPath");
    private static final Set<String> UPGRADE_PROPERTIES = Set.of("minimumHealthCapacity", "maximumOverCapacity");
    private static final Pattern PATH_ID = Pattern.compile("^(/?(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*"
            + "([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9]))+$|^/$");

    private static JsonNode group() throws IOException {
        return JSON.readTree(Files.readString(GROUP));
    }

    private static void only(JsonNode node, Set<String> allowed, String where, List<String> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(where + "." + name + " is no property of Marathon's type");
            }
        }
    }

    private static void integer(JsonNode node, String field, int minimum, String where, List<String> problems) {
        JsonNode v = node.get(field);
        if (v != null && (!v.isIntegralNumber() || v.asInt() < minimum)) {
            problems.add(where + "." + field + " must be an integer >= " + minimum + ": " + v);
        }
    }

    private static void pathId(JsonNode v, String where, List<String> problems) {
        if (v == null || !v.isTextual() || !v.asText().startsWith("/") || !Stream.of(v.asText().substring(1).split("/"))
                .allMatch(segment -> PATH_ID.matcher(segment).matches())) {
            problems.add(where + " must be an absolute PathId: " + v);
        }
    }

    @Test
    void theGroupConformsToMarathonsV2Types() throws IOException {
        JsonNode group = group();
        List<String> problems = new ArrayList<>();
        only(group, GROUP_PROPERTIES, "group", problems);
        pathId(group.get("id"), "group.id", problems);
        Set<String> ids = new HashSet<>();
        group.path("apps").forEach(app -> ids.add(app.path("id").asText()));
        for (JsonNode app : group.path("apps")) {
            String where = "app " + app.path("id").asText();
            only(app, APP_PROPERTIES, where, problems);
            pathId(app.get("id"), where + ".id", problems);
            if (!app.path("id").asText().startsWith(group.path("id").asText() + "/")) {
                problems.add(where + " is not inside the group " + group.path("id").asText());
            }
            if (app.has("cmd") == app.has("args")) {
                problems.add(where + ": either cmd or args");
            }
            if (!app.path("cpus").isNumber() || app.path("cpus").asDouble() < 0.001) {
                problems.add(where + ".cpus must be a number >= 0.001");
            }
            if (!app.path("mem").isNumber() || app.path("mem").asDouble() < 0) {
                problems.add(where + ".mem must be a number >= 0");
            }
            integer(app, "instances", 0, where, problems);
            app.path("env").fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual() && !(e.getValue().isObject() && e.getValue().path("secret").isTextual())) {
                    problems.add(where + ".env." + e.getKey() + " must be a string or {\"secret\": ...}");
                }
            });
            app.path("labels").fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    problems.add(where + ".labels." + e.getKey() + " must be a string");
                }
            });
            for (JsonNode dependency : app.path("dependencies")) {
                pathId(dependency, where + ".dependencies[]", problems);
                if (!ids.contains(dependency.asText())) {
                    problems.add(where + " depends on " + dependency + ", no app of the group");
                }
            }
            for (JsonNode check : app.path("healthChecks")) {
                only(check, HEALTH_PROPERTIES, where + ".healthChecks[]", problems);
                if (!HEALTH_PROTOCOLS.contains(check.path("protocol").asText())) {
                    problems.add(where + ".healthChecks[].protocol " + check.path("protocol") + " is not one of " + HEALTH_PROTOCOLS);
                }
                for (String field : List.of("portIndex", "gracePeriodSeconds", "intervalSeconds", "timeoutSeconds",
                        "maxConsecutiveFailures", "delaySeconds")) {
                    integer(check, field, 0, where + ".healthChecks[]", problems);
                }
            }
            for (JsonNode port : app.path("portDefinitions")) {
                only(port, PORT_PROPERTIES, where + ".portDefinitions[]", problems);
                integer(port, "port", 0, where + ".portDefinitions[]", problems);
                if (port.has("protocol") && !Set.of("tcp", "udp", "udp,tcp").contains(port.path("protocol").asText())) {
                    problems.add(where + ".portDefinitions[].protocol " + port.path("protocol"));
                }
            }
            for (JsonNode fetch : app.path("fetch")) {
                only(fetch, FETCH_PROPERTIES, where + ".fetch[]", problems);
                if (!fetch.path("uri").isTextual()) {
                    problems.add(where + ".fetch[].uri must be a string");
                }
            }
            if (app.has("upgradeStrategy")) {
                only(app.get("upgradeStrategy"), UPGRADE_PROPERTIES, where + ".upgradeStrategy", problems);
                app.get("upgradeStrategy").fields().forEachRemaining(e -> {
                    if (!e.getValue().isNumber() || e.getValue().asDouble() < 0 || e.getValue().asDouble() > 1) {
                        problems.add(where + ".upgradeStrategy." + e.getKey() + " must be a number in [0, 1]");
                    }
                });
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyServiceIsAnAppWithAMesosHttpHealthCheckOnQuarkusHealthAndWaitsForTheScheduler() throws IOException {
        JsonNode group = group();
        Set<String> ids = new HashSet<>();
        for (JsonNode app : group.path("apps")) {
            String id = app.path("id").asText();
            ids.add(id);
            JsonNode check = app.path("healthChecks").path(0);
            assertEquals("MESOS_HTTP", check.path("protocol").asText(), id);
            assertEquals("/q/health", check.path("path").asText(), id);
            assertTrue(app.path("portDefinitions").size() > check.path("portIndex").asInt(), id + ": the checked port exists");
            if (!id.equals("/hivemq/scheduler")) {
                assertEquals("[\"/hivemq/scheduler\"]", app.path("dependencies").toString(), id);
            }
        }
        assertEquals(MODULES.keySet(), ids);
        // the scheduler's options are the suite's options, in mesos mode
        JsonNode scheduler = group.path("apps").path(0);
        assertEquals("mesos", new OptionsReader().read(scheduler.path("env").path("SUITE_OPTIONS").asText())
                .service().mode());
    }

    @Test
    void everyEnvVariableAnAppSetsIsASettingItsServiceReads() throws IOException {
        List<String> unread = new ArrayList<>();
        for (JsonNode app : group().path("apps")) {
            String module = MODULES.get(app.path("id").asText());
            Set<String> read = settingsRead(ROOT.resolve(module).resolve("src/main/java"));
            app.path("env").fieldNames().forEachRemaining(name -> {
                boolean byCmd = name.equals("JAVA_OPTS") && app.path("cmd").asText().contains("java $JAVA_OPTS -jar");
                if (!QUARKUS.contains(name) && !read.contains(name) && !byCmd) {
                    unread.add(app.path("id").asText() + " sets " + name + ", which " + module + " does not read");
                }
            });
        }
        assertEquals(List.of(), unread);
    }

    /**
     * The env form (upper case, every other character '_') of each setting a service reads: the keys of the
     * {@code @ConfigMapping} interfaces in its sources and in service-kit's (the shared {@code suite.*} keys), and any
     * key it reads by name.
     */
    private static Set<String> settingsRead(Path sources) throws IOException {
        Pattern byName = Pattern.compile("(?:@ConfigProperty\\(name = |getOptionalValue\\(|getValue\\()\"([a-z][a-z0-9.\\-]*)\"");
        Set<String> keys = new HashSet<>();
        for (Path root : List.of(sources, ROOT.resolve("service-kit/src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher m = byName.matcher(source);
                    while (m.find()) {
                        keys.add(m.group(1));
                    }
                    keys.addAll(mappingKeys(source));
                }
            }
        }
        Set<String> read = new HashSet<>();
        keys.forEach(key -> read.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
        return read;
    }

    /**
     * The keys of a {@code @ConfigMapping} interface, read from its source: each abstract accessor in kebab case under
     * the prefix; an accessor whose type is a nested interface is a group, whose accessors go under its name.
     */
    private static Set<String> mappingKeys(String source) {
        Matcher prefix = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)").matcher(source);
        if (!prefix.find()) {
            return Set.of();
        }
        // accessors by enclosing interface, found by brace depth
        Map<String, List<String[]>> accessors = new HashMap<>();
        Pattern opens = Pattern.compile("\\binterface (\\w+)\\b[^{]*\\{");
        Pattern accessor = Pattern.compile("^\\s*([\\w.<>?, ]+?)\\s+(\\w+)\\(\\);");
        java.util.Deque<String[]> open = new java.util.ArrayDeque<>(); // interface name, its depth
        int depth = 0;
        for (String line : source.split("\n")) {
            Matcher declared = opens.matcher(line);
            Matcher method = accessor.matcher(line);
            if (method.find() && !open.isEmpty() && Integer.parseInt(open.peek()[1]) == depth) {
                accessors.computeIfAbsent(open.peek()[0], k -> new ArrayList<>())
                        .add(new String[]{method.group(1).trim(), method.group(2)});
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    if (!open.isEmpty() && Integer.parseInt(open.peek()[1]) == depth) {
                        open.pop();
                    }
                    depth--;
                }
            }
            if (declared.find()) {
                open.push(new String[]{declared.group(1), Integer.toString(depth)});
            }
        }
        Matcher top = opens.matcher(source.substring(prefix.end()));
        Set<String> keys = new HashSet<>();
        if (top.find()) {
            collect(top.group(1), prefix.group(1), accessors, keys);
        }
        return keys;
    }

    private static void collect(String type, String prefix, Map<String, List<String[]>> accessors, Set<String> keys) {
        for (String[] method : accessors.getOrDefault(type, List.of())) {
            String key = prefix + "." + method[1].replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            if (accessors.containsKey(method[0])) {
                collect(method[0], key, accessors, keys);
            } else {
                keys.add(key);
            }
        }
    }
}
