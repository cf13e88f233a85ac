package io.hivemqsuite.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/** The DC/OS package's full default options tree (every key), as a user's options file of that package holds it. */
final class DcosPackageOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DcosPackageOptions() {
    }

    /** The package's defaults for service {@code name} with {@code nodes} small nodes that fit the test machine. */
    static ObjectNode defaults(String name, int nodes) throws IOException {
        ObjectNode options = (ObjectNode) JSON.readTree(Path.of("..", "control-protocol", "src", "test", "resources",
                "options", "dcos-package-defaults.json").toFile());
        ((ObjectNode) options.path("service")).put("name", name);
        ((ObjectNode) options.path("node")).put("count", nodes).put("cpus", 1).put("mem", 512).put("heap", 128);
        return options;
    }
}
