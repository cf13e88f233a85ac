package io.hivemqsuite.endpoint.api;

import io.hivemqsuite.protocol.message.NodeState;
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

/**
 * The endpoint service's API given unknown or malformed names, a huge payload, no or a wrong token: a 4xx that
 * names the problem, and the VIP's rotation and the endpoints are what they were before.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeSuite.class, restrictToAnnotatedClass = true)
class EndpointApiBadInputTest {
    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + FakeSuite.TOKEN);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("drain: unknown pod", () -> api().post("/v1/vip/drain/hivemq-9"), 404, "hivemq-9"),
                bad("drain: not a pod name", () -> api().post("/v1/vip/drain/node-1"), 404, "node-1"),
                bad("drain: a pod number out of int range", () -> api().post("/v1/vip/drain/hivemq-99999999999"), 404,
                        "hivemq-99999999999"),
                bad("drain: move neither true nor false", () -> api().post("/v1/vip/drain/hivemq-0?move=yes"), 400,
                        "move"),
                bad("undrain: negative pod", () -> api().post("/v1/vip/undrain/hivemq--1"), 404, "hivemq--1"),
                bad("drain: huge payload", () -> hugeBody("POST", "/v1/vip/drain/hivemq-0", FakeSuite.TOKEN), 413,
                        "Too Large"),
                bad("drain: no token", () -> RestAssured.given().post("/v1/vip/drain/hivemq-0"), 401, "Authorization"),
                bad("drain: wrong token", () -> RestAssured.given().header("Authorization", "Bearer nope")
                        .post("/v1/vip/drain/hivemq-0"), 401, "invalid bearer token"),
                bad("undrain: not a bearer token", () -> RestAssured.given()
                        .header("Authorization", FakeSuite.TOKEN).post("/v1/vip/undrain/hivemq-0"), 401, "Bearer"),
                bad("endpoint: unknown name", () -> api().get("/v1/endpoints/nope"), 404, "nope"),
                bad("endpoint: disabled listener", () -> api().get("/v1/endpoints/mqtt-tls"), 404, "mqtt-tls"),
                bad("endpoints: wrong token", () -> RestAssured.given().header("Authorization", "Bearer "
                        + FakeSuite.TOKEN + "x").get("/v1/endpoints"), 401, "invalid bearer token"));
    }

    private String vip;
    private String endpoints;

    @BeforeEach
    void stateBefore() {
        for (int node = 0; node < 3; node++) {
            FakeSuite.STATES.put(node, NodeState.HEALTHY);
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> api().get("/v1/vip").jsonPath()
                .getList("listeners[0].nodes.inRotation").equals(List.of(true, true, true)));
        vip = rotation();
        endpoints = api().get("/v1/endpoints/mqtt").then().statusCode(200).extract().asString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedNamingTheProblemAndChangesNothing(String name, Request request, int status, String names) {
        assertRefused(name, request.send(), status, names);
        assertEquals(vip, rotation(), name + ": VIP rotation unchanged");
        assertEquals(endpoints, api().get("/v1/endpoints/mqtt").asString(), name + ": endpoints unchanged");
    }

    /** Which nodes are drained and in rotation, per listener (connection counts left out: they move on their own). */
    private static String rotation() {
        Response r = api().get("/v1/vip");
        return r.jsonPath().getList("listeners.nodes.drained") + " " + r.jsonPath().getList("listeners.nodes.inRotation");
    }
}
