package io.hivemqsuite.scheduler.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scheduler in the test JVM with a real embedded ZooKeeper (127.0.55.200:12181), a spec of one node and a
 * distribution root without a node agent: the deploy step must fail with a message that names the missing jar.
 */
@QuarkusTest
@QuarkusTestResource(FreshTestHome.class)
class SchedulerApiTest {
    private static final String TOKEN = "test-token-0123456789";

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void everythingButHealthNeedsTheBearerToken() {
        RestAssured.given().get("/v1/plans").then().statusCode(401)
                .body("message", containsString("Authorization"));
        RestAssured.given().header("Authorization", "Bearer wrong").get("/v1/plans/deploy").then().statusCode(401)
                .body("message", equalTo("invalid bearer token"));
        RestAssured.given().get("/q/metrics").then().statusCode(401);
        RestAssured.given().get("/q/openapi").then().statusCode(401);
        RestAssured.given().get("/q/health").then().statusCode(200);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);

        api().get("/q/metrics").then().statusCode(200).body(containsString("hivemq_suite_scheduler_pods_running"))
                // every plan has its failure series from the start, at 0 (what metrics-svc re-exports)
                .body(containsString("hivemq_suite_plan_step_failures_total{plan=\"deploy\""))
                .body(containsString("hivemq_suite_plan_step_failures_total{plan=\"recovery\""));
        api().get("/q/openapi").then().statusCode(200).body(containsString("/v1/plans/{plan}"));
    }

    @Test
    void planShapesCodesAndVerbs() {
        api().get("/v1/plans").then().statusCode(200).body("$", contains("deploy", "recovery", "update"));
        api().get("/v1/plans/nope").then().statusCode(404).body("message", containsString("'nope' does not exist"));
        api().get("/v1/plans/recovery").then().statusCode(200).body("status", equalTo("COMPLETE"));

        // The missing node agent makes the one step fail: ERROR, HTTP 417, the reason in the step and in errors.
        awaitPlanCode("deploy", 417);
        api().get("/v1/plans/deploy").then().statusCode(417)
                .body("status", equalTo("ERROR"))
                .body("strategy", equalTo("serial"))
                .body("phases[0].name", equalTo("node-deploy"))
                .body("phases[0].strategy", equalTo("parallel"))
                .body("phases[0].id", notNullValue())
                .body("phases[0].steps[0].name", equalTo("hivemq-0:[node]"))
                .body("phases[0].steps[0].status", equalTo("ERROR"))
                .body("phases[0].steps[0].message", containsString("node-agent/target/quarkus-app/quarkus-run.jar"))
                .body("errors[0]", containsString("hivemq-0:[node]"));

        api().post("/v1/plans/deploy/interrupt?phase=nope").then().statusCode(400)
                .body("field", equalTo("phase")).body("message", containsString("node-deploy"));
        api().post("/v1/plans/deploy/restart?phase=node-deploy&step=hivemq-7:[node]").then().statusCode(400)
                .body("field", equalTo("step"));
        api().contentType("application/json").body("[1]").post("/v1/plans/deploy/start").then().statusCode(400)
                .body("field", equalTo("(body)"));
        api().contentType("application/json").body("{\"URL\": {\"a\": 1}}").post("/v1/plans/deploy/start").then()
                .statusCode(400).body("field", equalTo("URL"));
        api().post("/v1/plans/nope/stop").then().statusCode(404);

        api().post("/v1/plans/deploy/forceComplete?phase=node-deploy&step=hivemq-0:[node]").then().statusCode(200)
                .body("message", equalTo("Received cmd: forceComplete"));
        api().get("/v1/plans/deploy").then().statusCode(200).body("status", equalTo("COMPLETE"));

        api().post("/v1/plans/deploy/stop").then().statusCode(200);
        api().get("/v1/plans/deploy").then().statusCode(417).body("status", equalTo("WAITING"))
                .body("phases[0].steps[0].status", equalTo("WAITING"));
        api().post("/v1/plans/deploy/start").then().statusCode(200).body("message", equalTo("Received cmd: start"));
        awaitPlanCode("deploy", 417);
        api().get("/v1/plans/deploy").then().body("status", equalTo("ERROR"));
    }

    @Test
    void podsEndpointsAndTarget() {
        api().get("/v1/pod").then().statusCode(200).body("$", contains("hivemq-0"));
        api().get("/v1/pod/hivemq-0/status").then().statusCode(200)
                .body("name", equalTo("hivemq-0")).body("tasks[0].name", equalTo("hivemq-0-node"));
        api().get("/v1/pod/status").then().statusCode(200)
                .body("service", equalTo("schedtest")).body("pods[0].instances[0].name", equalTo("hivemq-0"));
        api().get("/v1/pod/hivemq-3/status").then().statusCode(404).body("message", containsString("hivemq-3"));
        api().get("/v1/pod/hivemq-0/info").then().statusCode(200).body("[0].info.address", equalTo("127.0.55.1"));

        api().get("/v1/endpoints").then().statusCode(200).body("$", contains("mqtt"));
        api().get("/v1/endpoints/mqtt").then().statusCode(200)
                .body("address", contains("127.0.55.1:1883"))
                .body("dns", contains("hivemq-0-node.schedtest.autoip.dcos.thisdcos.directory:1883"))
                .body("vip", equalTo("mqtt.schedtest.l4lb.thisdcos.directory:1883"));
        api().get("/v1/endpoints/websocket").then().statusCode(404).body("message", containsString("disabled"));

        api().get("/v1/configurations/target").then().statusCode(200)
                .body("service.name", equalTo("schedtest")).body("node.count", equalTo(1))
                .body("hivemq.listener_configuration.mqtt_port", equalTo(1883));
        api().get("/v1/plans").then().body("$", hasItem("recovery"));
    }

    @Test
    void refusedAndDryRunUpdatesChangeNothing() {
        String target = api().get("/v1/configurations/target").asString();
        api().contentType("application/json").body("{\"service\": {\"name\": \"other\"}}").post("/v1/update")
                .then().statusCode(400).body("field", equalTo("service.name"));
        api().contentType("application/json").body("{\"service\": {\"name\": \"schedtest\"}, \"node\": {\"count\": 0}}")
                .post("/v1/update").then().statusCode(400).body("field", equalTo("node.count"));
        api().contentType("application/json").body("{\"service\": {\"name\": \"schedtest\", \"tls\": "
                        + "{\"ca_certificate_path\": \"/nope/ca.crt\", \"ca_key_path\": \"/nope/ca.key\"}}, \"node\": {\"count\": 1}}")
                .post("/v1/update").then().statusCode(400).body("field", equalTo("service.tls.ca_certificate_path"));
        api().contentType("application/json").body("{\"service\": {\"name\": \"schedtest\"}, \"node\": {\"count\": 2},"
                        + " \"hivemq\": {\"listener_configuration\": {\"mqtt_tls_enabled\": true}}}")
                .post("/v1/update?dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true))
                .body("nodes[0].pod", equalTo("hivemq-0")).body("nodes[0].action", equalTo("RESTART"))
                .body("nodes[1].action", equalTo("ADD"));
        assertEquals(target, api().get("/v1/configurations/target").asString());
        api().get("/v1/certificates/ca").then().statusCode(200)
                .body(containsString("-----BEGIN CERTIFICATE-----"));
    }

    private static void awaitPlanCode(String plan, int code) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(code, api().get("/v1/plans/" + plan).statusCode(),
                        "plan " + plan + " HTTP code"));
    }
}
