package io.hivemqsuite.cli.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.service.ApiResponse;
import io.hivemqsuite.cli.service.SchedulerClient;
import io.hivemqsuite.protocol.dist.LocalLayout;
import io.hivemqsuite.protocol.options.ServiceOptions;

import java.io.PrintWriter;

/** Shows endpoints the way {@code dcos hivemq endpoints <name>} does: addresses, DNS names, VIP. */
public final class EndpointsPrinter {
    private EndpointsPrinter() {
    }

    public static void print(String name, JsonNode endpoint, PrintWriter out) {
        out.println(name + ":");
        for (JsonNode address : endpoint.path("address")) {
            out.println("  address: " + address.asText());
        }
        for (JsonNode dns : endpoint.path("dns")) {
            out.println("  dns:     " + dns.asText());
        }
        if (endpoint.hasNonNull("vip")) {
            out.println("  vip:     " + endpoint.get("vip").asText());
        }
    }

    /**
     * After an install: every endpoint the scheduler knows; should its endpoints API not answer, the node
     * addresses that follow from the options, so the user still learns where to connect.
     */
    public static void printAll(SchedulerClient client, ServiceOptions options, LocalLayout layout, PrintWriter out) {
        try {
            ApiResponse names = client.get("/v1/endpoints");
            if (names.ok()) {
                for (JsonNode name : names.json()) {
                    ApiResponse endpoint = client.get("/v1/endpoints/" + SchedulerClient.encode(name.asText()));
                    if (endpoint.ok()) {
                        print(name.asText(), endpoint.json(), out);
                    }
                }
                return;
            }
        } catch (RuntimeException unavailable) {
            // fall through to the addresses the layout implies
        }
        for (ServiceOptions.ListenerEndpoint listener : options.enabledListeners()) {
            out.println(listener.listener().endpointName() + ":");
            for (int i = 0; i < options.node().count(); i++) {
                out.println("  address: " + layout.nodeAddress(i) + ":" + listener.port());
            }
        }
    }
}
