package io.hivemqsuite.scheduler.universe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.OptionsSchema;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.scheduler.settings.SchedulerConfig;
import io.hivemqsuite.servicekit.settings.SuiteSettings;
import io.smallrye.config.ConfigMapping;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Universe package as Cosmos uses it: {@code marathon.json.mustache} rendered by a real Mustache engine with
 * the options completed from {@code config.json} and the package's resources. The Marathon app must carry every
 * option to the scheduler (as {@code SUITE_OPTIONS}, which it reads), and set no env variable nothing reads.
 */
class UniversePackageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path UNIVERSE = Path.of("..", "deploy", "universe");

    private static JsonNode render(String userOptions) throws IOException {
        ObjectNode completed = OptionsSchema.packaged().complete(JSON.readTree(userOptions));
        String resource = Files.readString(UNIVERSE.resolve("resource.json")).replace("{{artifact-dir}}",
                "https://downloads.example.org/hivemq/0.1.0");
        @SuppressWarnings("unchecked")
        Map<String, Object> scope = JSON.convertValue(completed, Map.class);
        scope.put("resource", JSON.readValue(resource, Map.class));
        StringWriter out = new StringWriter();
        new DefaultMustacheFactory().compile(new StringReader(Files.readString(UNIVERSE.resolve("marathon.json.mustache"))),
                "marathon.json").execute(out, scope).flush();
        return JSON.readTree(out.toString());
    }

    /** What the scheduler must end up with: the user's options completed, in mesos mode (the package's only mode). */
    private static ServiceOptions expected(String userOptions) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(userOptions);
        ObjectNode service = tree.has("service") ? (ObjectNode) tree.get("service") : tree.putObject("service");
        service.put("mode", "mesos");
        return new OptionsReader().read(tree);
    }

    private static void assertCarried(String userOptions) throws IOException {
        JsonNode app = render(userOptions);
        ServiceOptions arrived = new OptionsReader().read(app.path("env").path("SUITE_OPTIONS").asText());
        assertEquals(OptionsReader.toJson(expected(userOptions)), OptionsReader.toJson(arrived));
        assertEquals(arrived.service().name(), app.path("id").asText());
        assertEquals(arrived.service().name(), app.path("env").path("SUITE_SERVICE_NAME").asText());
        JsonNode uris = JSON.readTree(Files.readString(UNIVERSE.resolve("resource.json")).replace("{{artifact-dir}}",
                "https://downloads.example.org/hivemq/0.1.0")).path("assets").path("uris");
        Set<String> resources = new HashSet<>();
        uris.forEach(uri -> resources.add(uri.asText()));
        for (JsonNode fetch : app.path("fetch")) {
            assertTrue(resources.contains(fetch.path("uri").asText()),
                    "every fetched artifact is one of resource.json: " + fetch);
        }
    }

    @Test
    void theDefaultOptionsArriveWhole() throws IOException {
        assertCarried("{}");
    }

    @Test
    void theGuidesSampleArrivesWhole() throws IOException {
        assertCarried("{\"service\":{\"name\":\"another-cluster\"},\"node\":{\"count\":4},"
                + "\"hivemq\":{\"hivemq_log_level\":\"DEBUG\"}}");
    }

    @Test
    void changedValuesOfEveryKindArrive() throws IOException {
        assertCarried("{\"service\":{\"name\":\"m2\",\"service_account\":\"m2-principal\",\"mesos_master\":"
                + "\"http://10.0.0.1:5050\",\"log_level\":\"WARN\",\"tls\":{\"certificate_validity_hours\":48}},"
                + "\"node\":{\"count\":5,\"cpus\":2.5,\"mem\":4096,\"heap\":2048,\"disk\":8000},"
                + "\"hivemq\":{\"listener_configuration\":{\"mqtt_tls_enabled\":true,\"websocket_enabled\":true,"
                + "\"websocket_port\":8081},\"routing\":{\"subscription_digest\":false,\"peer_queue_max_bytes\":1000000}}}");
    }

    /** A DC/OS package user's file (every key, the package's defaults, base64 files included) arrives whole. */
    @Test
    void theDcosPackagesDefaultOptionsFileArrivesWhole() throws IOException {
        assertCarried(Files.readString(UNIVERSE.resolve("../../control-protocol/src/test/resources/options/"
                + "dcos-package-defaults.json")));
    }

    @Test
    void everyOptionOfTheSchemaHasAPlaceInTheTemplate() throws IOException {
        String template = Files.readString(UNIVERSE.resolve("marathon.json.mustache"));
        List<String> missing = new ArrayList<>();
        for (String path : leaves(OptionsSchema.packaged().defaults(), "")) {
            // the package always runs the mesos backend: the template fixes service.mode
            if (!path.equals("service.mode") && !template.contains("{{" + path + "}}") && !template.contains("{{{" + path + "}}}")) {
                missing.add(path);
            }
        }
        assertEquals(List.of(), missing, "options the Marathon app would drop");
    }

    @Test
    void everyEnvVariableTheAppSetsIsASettingTheSchedulerReads() throws IOException {
        // what the scheduler reads: the keys of its two config mappings, as environment variable names
        Set<String> read = new HashSet<>();
        for (Class<?> mapping : List.of(SuiteSettings.class, SchedulerConfig.class)) {
            mappingKeys(mapping, mapping.getAnnotation(ConfigMapping.class).prefix()).forEach(key ->
                    read.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
        }
        JsonNode env = render("{}").path("env");
        for (Iterator<String> names = env.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(read.contains(name), name + " is set by the Marathon app but no setting of the scheduler reads it;"
                    + " read: " + read);
        }
    }

    /** The keys a {@code @ConfigMapping} interface maps: its accessors in kebab case, groups as nested prefixes. */
    private static List<String> mappingKeys(Class<?> mapping, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Method accessor : mapping.getDeclaredMethods()) {
            if (accessor.isDefault() || Modifier.isStatic(accessor.getModifiers()) || accessor.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + accessor.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> type = accessor.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == mapping) {
                keys.addAll(mappingKeys(type, key));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    private static List<String> leaves(JsonNode node, String prefix) {
        List<String> result = new ArrayList<>();
        node.fields().forEachRemaining(e -> {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                result.addAll(leaves(e.getValue(), path));
            } else {
                result.add(path);
            }
        });
        return result;
    }

}
