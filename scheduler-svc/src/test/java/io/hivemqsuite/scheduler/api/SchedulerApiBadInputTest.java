package io.hivemqsuite.scheduler.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import io.hivemqsuite.servicekit.api.BadInput.Request;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.hivemqsuite.servicekit.api.BadInput.assertRefused;
import static io.hivemqsuite.servicekit.api.BadInput.bad;
import static io.hivemqsuite.servicekit.api.BadInput.hugeBody;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every write endpoint of the scheduler, given a malformed body, wrong types, a huge payload or no/a wrong token,
 * answers a 4xx that names the problem, and the target, the plans and the pods are what they were before.
 * Same app as {@link SchedulerApiTest} (same test resource): a 1-node spec whose deploy step fails for want of a
 * node agent.
 */
@QuarkusTest
@QuarkusTestResource(FreshTestHome.class)
class SchedulerApiBadInputTest {
    private static final String TOKEN = "test-token-0123456789";
    /** Under the limit, but a name no service can have. */
    private static final String LARGE = "{\"service\": {\"name\": \"" + "x".repeat(1024 * 1024) + "\"}}";
    private static final String VALID_CHANGE = "{\"service\": {\"name\": \"schedtest\"}, \"node\": {\"count\": 2}}";

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + TOKEN);
    }

    /** name, request, expected status, what the answer must name */
    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("update: malformed JSON", () -> json(api()).body("{\"service\": ").post("/v1/update"), 400, "JSON"),
                bad("update: not an object", () -> json(api()).body("[1, 2]").post("/v1/update"), 400, "(options)"),
                bad("update: wrong type", () -> json(api()).body("{\"service\": {\"name\": \"schedtest\"}, "
                        + "\"node\": {\"count\": \"three\"}}").post("/v1/update"), 400, "node.count"),
                bad("update: unknown field", () -> json(api()).body("{\"service\": {\"name\": \"schedtest\"}, "
                        + "\"nodes\": {\"count\": 2}}").post("/v1/update"), 400, "nodes"),
                bad("update: empty body", () -> json(api()).body("").post("/v1/update"), 400, "(body)"),
                bad("update: large value", () -> json(api()).body(LARGE).post("/v1/update"), 400, "service.name"),
                bad("update: huge payload", () -> hugeBody("POST", "/v1/update", TOKEN), 413, "Too Large"),
                bad("update: dryRun not a boolean", () -> json(api()).body(VALID_CHANGE)
                        .post("/v1/update?dryRun=yes"), 400, "dryRun"),
                bad("update: no token", () -> json(RestAssured.given()).body(VALID_CHANGE).post("/v1/update"), 401,
                        "Authorization"),
                bad("update: wrong token", () -> json(RestAssured.given().header("Authorization", "Bearer nope"))
                        .body(VALID_CHANGE).post("/v1/update"), 401, "invalid bearer token"),
                bad("update: not a bearer token", () -> json(RestAssured.given().header("Authorization",
                        "Basic " + TOKEN)).body(VALID_CHANGE).post("/v1/update"), 401, "Bearer"),
                bad("plan start: malformed JSON", () -> json(api()).body("{\"a\":").post("/v1/plans/deploy/start"),
                        400, "(body)"),
                bad("plan start: not an object", () -> json(api()).body("\"go\"").post("/v1/plans/deploy/start"),
                        400, "(body)"),
                bad("plan start: nested parameter", () -> json(api()).body("{\"COUNT\": {\"n\": 1}}")
                        .post("/v1/plans/deploy/start"), 400, "COUNT"),
                bad("plan start: unknown plan", () -> json(api()).body("{}").post("/v1/plans/nope/start"), 404, "nope"),
                // the body is read before the plan is looked up: the scheduler's API always answered this 400
                bad("plan start: unknown plan and malformed body", () -> json(api()).body("{\"a\":")
                        .post("/v1/plans/nope/start"), 400, "(body)"),
                bad("plan start: huge payload", () -> hugeBody("POST", "/v1/plans/deploy/start", TOKEN), 413,
                        "Too Large"),
                bad("plan start: no token", () -> json(RestAssured.given()).body("{}").post("/v1/plans/deploy/start"),
                        401, "Authorization"),
                bad("plan stop: wrong token", () -> RestAssured.given().header("Authorization", "Bearer nope")
                        .post("/v1/plans/deploy/stop"), 401, "invalid bearer token"),
                bad("plan interrupt: unknown phase", () -> api().post("/v1/plans/deploy/interrupt?phase=nope"), 400,
                        "nope"),
                bad("plan restart: unknown step", () -> api().post("/v1/plans/deploy/restart?phase=node-deploy&step=nope"),
                        400, "nope"),
                bad("pod restart: unknown pod", () -> api().post("/v1/pod/hivemq-7/restart"), 404, "hivemq-7"),
                bad("pod replace: not a pod name", () -> api().post("/v1/pod/..%2F..%2Fetc/replace"), 404, "etc"),
                bad("pod restart: no token", () -> RestAssured.given().post("/v1/pod/hivemq-0/restart"), 401,
                        "Authorization"),
                bad("renew: without TLS listeners", () -> api().post("/v1/certificates/renew?pod=hivemq-9"), 400,
                        "mqtt_tls_enabled"),
                bad("renew: wrong token", () -> RestAssured.given().header("Authorization", "Bearer nope")
                        .post("/v1/certificates/renew"), 401, "invalid bearer token"),
                bad("uninstall: no token", () -> RestAssured.given().post("/v1/uninstall"), 401, "Authorization"),
                bad("uninstall: wrong token", () -> RestAssured.given().header("Authorization", "Bearer " + TOKEN + "x")
                        .post("/v1/uninstall"), 401, "invalid bearer token"));
    }

    private String target;
    private List<String> plans;
    private String pods;

    @BeforeEach
    void stateBefore() {
        // The deploy step fails for want of a node agent; compare states only once it has.
        await("deploy plan ERROR").atMost(Duration.ofSeconds(30))
                .until(() -> api().get("/v1/plans/deploy").statusCode() == 417);
        target = api().get("/v1/configurations/target").then().statusCode(200).extract().asString();
        plans = planStatuses();
        pods = api().get("/v1/pod").then().statusCode(200).extract().asString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedNamingTheProblemAndChangesNothing(String name, Request request, int status, String names) {
        assertRefused(name, request.send(), status, names);
        assertEquals(target, api().get("/v1/configurations/target").asString(), name + ": target unchanged");
        assertEquals(plans, planStatuses(), name + ": plans unchanged");
        assertEquals(pods, api().get("/v1/pod").asString(), name + ": pods unchanged");
    }

    private static List<String> planStatuses() {
        return api().get("/v1/plans").then().statusCode(200).extract().<List<String>>path("$").stream()
                .map(plan -> plan + "=" + api().get("/v1/plans/" + plan).<String>path("status")).toList();
    }

    private static RequestSpecification json(RequestSpecification spec) {
        return spec.contentType("application/json");
    }
}
