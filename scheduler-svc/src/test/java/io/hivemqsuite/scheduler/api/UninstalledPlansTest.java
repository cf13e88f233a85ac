package io.hivemqsuite.scheduler.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The plans API once the scheduler uninstalls (its own app, so that the other API tests keep a running scheduler):
 * the list answers 503 with the reason, a plan and its verbs 404 with no plans, as the scheduler's API always did.
 */
@QuarkusTest
@TestProfile(UninstalledPlansTest.OwnApp.class)
class UninstalledPlansTest {
    private static final String TOKEN = "test-token-0123456789";

    /** No overrides: a profile of its own only gives this class its own scheduler to uninstall. */
    public static class OwnApp implements QuarkusTestProfile {
    }

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void aPlanIsUnknownWhileTheListIsUnavailable() {
        await("scheduler ready").atMost(Duration.ofSeconds(30)).until(() -> api().get("/v1/plans").statusCode() == 200);
        api().post("/v1/uninstall").then().statusCode(200);

        api().get("/v1/plans").then().statusCode(503).body("message", containsString("uninstalling"));
        api().get("/v1/plans/deploy").then().statusCode(404)
                .body("message", containsString("plan 'deploy' does not exist; plans: []"));
        api().contentType("application/json").body("{}").post("/v1/plans/deploy/start").then().statusCode(404)
                .body("message", containsString("'deploy' does not exist"));
        api().post("/v1/plans/deploy/stop").then().statusCode(404);
    }
}
