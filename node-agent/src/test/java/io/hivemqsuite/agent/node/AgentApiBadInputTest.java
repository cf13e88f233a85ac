package io.hivemqsuite.agent.node;

import io.hivemqsuite.servicekit.api.BadInput.Request;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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
 * The node agent's API (status, peers, handover, users and roles) given no or a wrong credential, a body that is not
 * JSON or has the wrong types, a huge payload, a path it does not serve: a 4xx naming the problem, and the node (its
 * broker process, listeners, router's peers) is what it was before. Same app as {@link NodeAgentTest} (same profile).
 */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
class AgentApiBadInputTest {
    private static final String SECRET = AgentTestProfile.SECRET;

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + SECRET).contentType("application/json");
    }

    /** name, request, expected status, what the answer must name */
    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("status: no credential", () -> RestAssured.given().get("/v1/node/status"), 401, "Authorization"),
                bad("status: the operator's token is not the credential", () -> RestAssured.given()
                        .header("Authorization", "Bearer " + SECRET + "x").get("/v1/node/status"), 401,
                        "invalid bearer token"),
                bad("status: not a bearer token", () -> RestAssured.given().header("Authorization", "Basic " + SECRET)
                        .get("/v1/node/status"), 401, "Bearer"),
                bad("unknown path", () -> api().get("/v1/node/nope"), 404, "/v1/node/nope"),
                bad("peers: malformed JSON", () -> api().body("{\"nodes\": ").put("/v1/node/peers"), 400, "JSON"),
                bad("peers: not an object", () -> api().body("[1, 2]").put("/v1/node/peers"), 400, "nodes"),
                bad("peers: address not a string", () -> api().body("{\"nodes\": {\"0\": 1883}}")
                        .put("/v1/node/peers"), 400, "nodes.0"),
                bad("peers: key not a node index", () -> api().body("{\"nodes\": {\"zero\": \"127.0.66.1:1883\"}}")
                        .put("/v1/node/peers"), 400, "zero"),
                bad("peers: not JSON", () -> RestAssured.given().header("Authorization", "Bearer " + SECRET)
                        .contentType("text/plain").body("0=127.0.66.1:1883").put("/v1/node/peers"), 415,
                        "content-type"),
                bad("peers: huge payload", () -> hugeBody("PUT", "/v1/node/peers", SECRET), 413, "Too Large"),
                bad("peers: no credential", () -> RestAssured.given().contentType("application/json")
                        .body("{\"nodes\": {\"0\": \"127.0.66.1:1883\"}}").put("/v1/node/peers"), 401,
                        "Authorization"),
                bad("handover: malformed JSON", () -> api().body("{").post("/v1/node/handover"), 400, "JSON"),
                bad("handover: nodes not an object", () -> api().body("{\"nodes\": 3}").post("/v1/node/handover"),
                        400, "nodes"),
                bad("handover: huge payload", () -> hugeBody("POST", "/v1/node/handover", SECRET), 413, "Too Large"),
                bad("handover: wrong credential", () -> RestAssured.given().header("Authorization", "Bearer nope")
                        .contentType("application/json").body("{\"nodes\": {}}").post("/v1/node/handover"), 401,
                        "invalid bearer token"),
                bad("move: no credential", () -> RestAssured.given().post("/v1/node/handover/move"), 401,
                        "Authorization"),
                bad("rbac: malformed JSON", () -> api().body("{\"rbac_config\"").put("/v1/node/rbac"), 400, "JSON"),
                bad("rbac: not base64", () -> api().body("{\"rbac_config\": \"%%% not base64\"}")
                        .put("/v1/node/rbac"), 400, "rbac_config"),
                bad("rbac: huge payload", () -> hugeBody("PUT", "/v1/node/rbac", SECRET), 413, "Too Large"),
                bad("rbac: wrong credential", () -> RestAssured.given().header("Authorization", "Bearer nope")
                        .contentType("application/json").body("{}").put("/v1/node/rbac"), 401,
                        "invalid bearer token"));
    }

    @AfterAll
    static void noBrokerOutlivesTheTests() {
        Runtime.getRuntime().addShutdownHook(new Thread(AgentTestProfile::killLeftovers));
    }

    private List<Object> node;

    @BeforeEach
    void stateBefore() {
        await("node HEALTHY").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> "HEALTHY".equals(api().get("/v1/node/status").jsonPath().getString("state")));
        node = node();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedNamingTheProblemAndChangesNothing(String name, Request request, int status, String names) {
        assertRefused(name, request.send(), status, names);
        assertEquals(node, node(), name + ": node unchanged");
    }

    /** What a bad request could change: the broker process, its listeners, the router's peers, the users' file set. */
    private static List<Object> node() {
        JsonPath status = api().get("/v1/node/status").then().statusCode(200).extract().jsonPath();
        return List.of(status.getString("state"), status.getLong("brokerPid"), status.getInt("brokerStarts"),
                status.getMap("listeners"), String.valueOf(status.getMap("peers")));
    }
}
