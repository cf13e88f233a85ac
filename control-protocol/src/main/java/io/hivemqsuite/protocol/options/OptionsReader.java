package io.hivemqsuite.protocol.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an options JSON (a user's file, a REST body, a stored target) into a {@link ServiceOptions}:
 * schema check, defaults, then the rules a schema cannot say (a heap that fits the node's memory,
 * listeners that do not share a port).
 */
public final class OptionsReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** Room for the longest control topic: prefix, a 63-character service name, a replies topic's client id. */
    static final int MIN_TOPIC_LENGTH = 256;

    private final OptionsSchema schema;

    public OptionsReader() {
        this(OptionsSchema.packaged());
    }

    public OptionsReader(OptionsSchema schema) {
        this.schema = schema;
    }

    public ServiceOptions read(Path file) {
        try {
            return read(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new OptionsException("--options", "file " + file + " does not exist");
        } catch (IOException e) {
            throw new OptionsException("--options", "cannot read " + file + ": " + e.getMessage());
        }
    }

    public ServiceOptions read(String json) {
        JsonNode tree;
        try {
            tree = json == null || json.isBlank() ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new OptionsException("(options)", "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        return read(tree);
    }

    public ServiceOptions read(JsonNode tree) {
        ObjectNode completed = schema.complete(tree);
        ServiceOptions options;
        try {
            options = JSON.convertValue(completed, ServiceOptions.class);
        } catch (IllegalArgumentException e) {
            throw unconvertible(e);
        }
        checkRules(options);
        return options;
    }

    /**
     * A value the schema lets through but Java cannot hold, such as an integer beyond int's range where the schema
     * sets no maximum (fuzzing found {@code "heap": 2222222222222222222222222222240952}), refused naming the option.
     */
    private static OptionsException unconvertible(IllegalArgumentException e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof JsonMappingException)) {
            cause = cause.getCause();
        }
        if (!(cause instanceof JsonMappingException mapping)) {
            throw e;
        }
        List<String> path = new ArrayList<>();
        mapping.getPath().forEach(reference -> path.add(reference.getFieldName() != null ? reference.getFieldName()
                : String.valueOf(reference.getIndex())));
        return new OptionsException(OptionsSchema.field(path), mapping.getOriginalMessage());
    }

    /** The user's options as a tree (for {@link OptionNotes#given}); malformed JSON is refused as {@link #read}. */
    public static JsonNode tree(String json) {
        try {
            return json == null || json.isBlank() ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new OptionsException("(options)", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The spec as stored and sent: completed JSON in the user's field names. */
    public static String toJson(ServiceOptions options) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write options", e);
        }
    }

    private static void checkRules(ServiceOptions options) {
        List<FieldError> errors = new ArrayList<>();
        ServiceOptions.Node node = options.node();
        if (node.heap() >= node.mem()) {
            errors.add(new FieldError("node.heap", "must be below node.mem (" + node.mem() + " MB) but is " + node.heap()));
        }
        ServiceOptions.ListenerConfiguration l = options.hivemq().listeners();
        Set<Integer> used = new HashSet<>();
        for (ServiceOptions.ListenerEndpoint endpoint : options.enabledListeners()) {
            if (!used.add(endpoint.port())) {
                errors.add(new FieldError("hivemq.listener_configuration." + endpoint.listener().optionPrefix() + "_port",
                        "port " + endpoint.port() + " is already used by another enabled listener"));
            }
        }
        ServiceOptions.Tls tls = options.service().tls();
        boolean certificate = !tls.caCertificatePath().isBlank();
        boolean key = !tls.caKeyPath().isBlank();
        if (certificate != key) {
            errors.add(new FieldError(certificate ? "service.tls.ca_key_path" : "service.tls.ca_certificate_path",
                    "an external CA needs both service.tls.ca_certificate_path and service.tls.ca_key_path"));
        }
        if (options.service().localNetworkNamespaces() && options.service().mesos()) {
            errors.add(new FieldError("service.local_network_namespaces", "applies to local mode only (service.mode "
                    + "is mesos, where each node is a Mesos task with its agent's network)"));
        }
        Set<Integer> vips = new HashSet<>();
        for (ServiceOptions.ListenerEndpoint endpoint : options.vipListeners()) {
            if (!vips.add(endpoint.vipPort())) {
                errors.add(new FieldError(vipField(endpoint), "VIP port " + endpoint.vipPort()
                        + " is already used by another enabled VIP"));
            }
        }
        if (options.hivemq().restrictions().maxTopicLength() < MIN_TOPIC_LENGTH) {
            errors.add(new FieldError("hivemq.restrictions.max_topic_length", "must be at least " + MIN_TOPIC_LENGTH
                    + " but is " + options.hivemq().restrictions().maxTopicLength() + ": the broker applies it to every"
                    + " client, and the suite's own control topics (hivemq-suite/<service>/...) need that much"));
        }
        errors.addAll(JavaOptions.check(options.hivemq().javaOptions(), node.mem()));
        errors.addAll(EncodedOptions.check(options));
        if (!errors.isEmpty()) {
            throw new OptionsException(errors);
        }
    }

    private static String vipField(ServiceOptions.ListenerEndpoint endpoint) {
        return switch (endpoint.listener()) {
            case MQTT -> "hivemq.listener_configuration.mqtt_port";
            case MQTT_TLS -> "hivemq.listener_configuration.mqtt_tls_port_vip";
            case WEBSOCKET -> "hivemq.listener_configuration.websocket_port_vip";
            case WEBSOCKET_TLS -> "hivemq.listener_configuration.websocket_tls_port_vip";
        };
    }
}
