package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every artifact the Universe package ({@code deploy/universe/resource.json}) and the Marathon group
 * ({@code deploy/marathon/hivemq-group.json}) name below {@code {{artifact-dir}}} is a file the build makes: a
 * module's {@code target/<name>} after package. Here, not next to {@code UniversePackageTest} in scheduler-svc,
 * because this module is built after every module it depends on has been packaged, scheduler-svc's own zip included.
 * Artifacts from elsewhere (the JRE) are full URLs and are not the build's.
 */
class UniverseArtifactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "{{artifact-dir}}/";

    @Test
    void everyArtifactThePackageAndTheGroupNameIsBuilt() throws IOException {
        Path root = Cli.dist();
        Set<String> named = new TreeSet<>();
        JSON.readTree(Files.readString(root.resolve("deploy/universe/resource.json"))).path("assets").path("uris")
                .forEach(uri -> collect(uri.asText(), named));
        for (JsonNode app : JSON.readTree(Files.readString(root.resolve("deploy/marathon/hivemq-group.json"))).path("apps")) {
            app.path("fetch").forEach(fetch -> collect(fetch.path("uri").asText(), named));
        }
        assertTrue(named.containsAll(Set.of("scheduler-svc.zip", "node-agent.zip", "hivemq-suite-extension.zip",
                "endpoint-svc.zip", "sidecar-svc.zip", "metrics-svc.zip")), named.toString());

        List<String> notBuilt = new ArrayList<>();
        for (String name : named) {
            if (builtAs(root, name).isEmpty()) {
                notBuilt.add(name);
            }
        }
        assertEquals(List.of(), notBuilt, "named in the package but made by no module's build");
    }

    /** A service's zip holds one folder named like the module with its quarkus-run.jar, as the app's cmd runs it. */
    @Test
    void aServiceZipHoldsTheFolderTheAppsCmdRuns() throws IOException {
        Path zip = Cli.dist().resolve("scheduler-svc/target/scheduler-svc.zip");
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertTrue(file.getEntry("scheduler-svc/quarkus-run.jar") != null, zip + " has scheduler-svc/quarkus-run.jar");
        }
    }

    private static void collect(String uri, Set<String> named) {
        if (uri.startsWith(BASE)) {
            named.add(uri.substring(BASE.length()));
        } else {
            assertTrue(uri.startsWith("https://"), "an artifact not of the build is a full URL: " + uri);
        }
    }

    private static List<Path> builtAs(Path root, String name) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(module -> module.resolve("target").resolve(name)).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
