package io.hivemqsuite.cli.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.service.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicAccessTest {

    @Test
    void edgeLbPoolIsTheUserGuidesWithTheServiceName() {
        JsonNode pool = Json.parse(PublicAccess.edgeLbPool("another-cluster", 1883));
        assertEquals(Json.parse("""
                {"apiVersion": "V2", "name": "another-cluster", "count": 1,
                 "haproxy": {"stats": {"bindPort": 9090},
                   "frontends": [{"bindPort": 1883, "protocol": "TCP", "linkBackend": {"defaultBackend": "mqtt"}}],
                   "backends": [{"name": "mqtt", "protocol": "TCP",
                     "services": [{"mesos": {"frameworkName": "another-cluster", "taskNamePattern": ".*-node"},
                                   "endpoint": {"portName": "mqtt"}}]}]}}
                """), pool);
    }

    @Test
    void haproxyHasOneServerPerNode() {
        String cfg = PublicAccess.haproxy("hivemq", "127.0.1.240:1883", List.of("127.0.1.1:1883", "127.0.1.2:1883"));
        assertTrue(cfg.contains("bind 127.0.1.240:1883"), cfg);
        assertTrue(cfg.contains("server hivemq-0-node 127.0.1.1:1883 check"), cfg);
        assertTrue(cfg.contains("server hivemq-1-node 127.0.1.2:1883 check"), cfg);
        assertTrue(cfg.contains("mode tcp"), cfg);
    }
}
