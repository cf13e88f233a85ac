package io.hivemqsuite.metrics.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import io.hivemqsuite.servicekit.api.BadInput.Request;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static io.hivemqsuite.servicekit.api.BadInput.assertRefused;
import static io.hivemqsuite.servicekit.api.BadInput.bad;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * metrics-svc's API (the scrape and the JSON per node; neither takes a body) given no or a wrong token, a node that is
 * no pod name, a pod the service does not have, a path it does not serve: a 4xx that names the problem, and the
 * service's view of the cluster is what it was before.
 */
@QuarkusTest
@QuarkusTestResource(value = SchedulerStandIn.class, restrictToAnnotatedClass = true)
class MetricsApiBadInputTest {

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + SchedulerStandIn.TOKEN);
    }

    /** name, request, expected status, what the answer must name */
    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("json: node not a pod name", () -> api().get("/v1/metrics?node=node-1"), 400, "node-1"),
                bad("json: node a number", () -> api().get("/v1/metrics?node=1"), 400, "node"),
                bad("json: node out of int range", () -> api().get("/v1/metrics?node=hivemq-99999999999"), 400,
                        "hivemq-99999999999"),
                bad("json: unknown pod", () -> api().get("/v1/metrics?node=hivemq-2"), 404, "hivemq-2"),
                bad("json: unknown path", () -> api().get("/v1/metrics/hivemq-0"), 404, "/v1/metrics/hivemq-0"),
                bad("json: no token", () -> RestAssured.given().get("/v1/metrics"), 401, "Authorization"),
                bad("json: wrong token", () -> RestAssured.given().header("Authorization", "Bearer nope")
                        .get("/v1/metrics?node=hivemq-0"), 401, "invalid bearer token"),
                bad("scrape: no token", () -> RestAssured.given().get("/metrics"), 401, "Authorization"),
                bad("scrape: wrong token", () -> RestAssured.given().header("Authorization", "Bearer "
                        + SchedulerStandIn.TOKEN + "x").get("/metrics"), 401, "invalid bearer token"),
                bad("scrape: not a bearer token", () -> RestAssured.given().header("Authorization",
                        "Basic " + SchedulerStandIn.TOKEN).get("/metrics"), 401, "Bearer"),
                bad("own meters: no token", () -> RestAssured.given().get("/q/metrics"), 401, "Authorization"));
    }

    private String cluster;

    @BeforeEach
    void stateBefore() {
        await("target read").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> api().get("/v1/metrics").statusCode() == 200);
        cluster = api().get("/v1/metrics").then().statusCode(200).extract().asString();
        assertTrue(cluster.contains("\"hivemq-1\""), cluster);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedNamingTheProblemAndChangesNothing(String name, Request request, int status, String names) {
        assertRefused(name, request.send(), status, names);
        assertEquals(cluster, api().get("/v1/metrics").asString(), name + ": the cluster's metrics unchanged");
    }
}
