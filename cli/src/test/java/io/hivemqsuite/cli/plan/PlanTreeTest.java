package io.hivemqsuite.cli.plan;

import io.hivemqsuite.cli.service.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanTreeTest {
    @Test
    void rendersPhasesAndStepsLikeDcos() {
        String json = """
                {"name":"deploy","status":"IN_PROGRESS","strategy":"serial","errors":[],
                 "phases":[{"id":"p1","name":"node-deploy","status":"IN_PROGRESS","strategy":"serial",
                   "steps":[{"id":"s0","name":"hivemq-0:[node]","status":"COMPLETE","message":""},
                            {"id":"s1","name":"hivemq-1:[node]","status":"STARTING","message":"waiting for the broker"}]}]}
                """;

        assertEquals("""
                deploy (serial strategy) (IN_PROGRESS)
                └─ node-deploy (serial strategy) (IN_PROGRESS)
                   ├─ hivemq-0:[node] (COMPLETE)
                   └─ hivemq-1:[node] (STARTING: waiting for the broker)""", PlanTree.render(Json.parse(json)));
    }
}
