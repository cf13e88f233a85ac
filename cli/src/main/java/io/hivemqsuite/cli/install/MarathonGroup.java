package io.hivemqsuite.cli.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.cli.service.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code deploy/marathon/hivemq-group.json} as local mode reads it: of each app only what Marathon itself acts on
 * when it runs the app (its command, env, dependencies, health check path and port names); the DC/OS-only parts
 * (fetch, resources, VIP labels) have local stand-ins in {@link SuiteService} and {@link ServiceLauncher}.
 */
record MarathonGroup(List<App> apps) {
    static final String FILE = "deploy/marathon/hivemq-group.json";

    /** One app of the group. {@code portNames} in the order of its portDefinitions (Marathon's PORT_&lt;NAME&gt;). */
    record App(String id, String cmd, Map<String, String> env, List<String> dependencies, String healthPath,
               List<String> portNames) {
    }

    static MarathonGroup read(Path file) {
        JsonNode group;
        try {
            group = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CliException("cannot read the Marathon group " + file + ": " + e.getMessage());
        }
        List<App> apps = new ArrayList<>();
        for (JsonNode app : group.path("apps")) {
            String id = app.path("id").asText();
            if (!app.path("cmd").isTextual()) {
                throw new CliException(file + ": app " + id + ".cmd: missing; local mode runs an app's cmd");
            }
            Map<String, String> env = new LinkedHashMap<>();
            app.path("env").fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new CliException(file + ": app " + id + ".env." + e.getKey()
                            + ": a secret reference, which local mode cannot resolve");
                }
                env.put(e.getKey(), e.getValue().asText());
            });
            List<String> dependencies = new ArrayList<>();
            app.path("dependencies").forEach(d -> dependencies.add(d.asText()));
            List<String> ports = new ArrayList<>();
            app.path("portDefinitions").forEach(p -> ports.add(p.path("name").asText()));
            String health = app.path("healthChecks").path(0).path("path").asText("/q/health");
            apps.add(new App(id, app.get("cmd").asText(), Map.copyOf(env), List.copyOf(dependencies), health,
                    List.copyOf(ports)));
        }
        return new MarathonGroup(List.copyOf(apps));
    }

    /**
     * The apps in an order Marathon may start them in: each after the apps it depends on, otherwise in the file's
     * order. A dependency on no app of the group, or a cycle, is an error naming the app.
     */
    List<App> startOrder() {
        Map<String, App> byId = new LinkedHashMap<>();
        apps.forEach(app -> byId.put(app.id(), app));
        Set<String> placed = new LinkedHashSet<>();
        List<App> order = new ArrayList<>();
        while (order.size() < apps.size()) {
            boolean progress = false;
            for (App app : apps) {
                if (placed.contains(app.id())) {
                    continue;
                }
                for (String dependency : app.dependencies()) {
                    if (!byId.containsKey(dependency)) {
                        throw new CliException("app " + app.id() + ".dependencies: " + dependency + " is no app of the group");
                    }
                }
                if (placed.containsAll(app.dependencies())) {
                    placed.add(app.id());
                    order.add(app);
                    progress = true;
                }
            }
            if (!progress) {
                List<String> left = apps.stream().map(App::id).filter(id -> !placed.contains(id)).toList();
                throw new CliException("apps " + left + ".dependencies: a cycle, none of them can start first");
            }
        }
        return order;
    }
}
