package io.hivemqsuite.protocol.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanEngineTest {
    /** The scheduler goes round faster while this holds: it must hold exactly while a step runs. */
    @Test
    void underWayWhileAStepRunsAndNeitherBeforeNorAfter() {
        PlanEngine engine = new PlanEngine(new MemoryPlanStore());
        PlanTest.NodeAction first = new PlanTest.NodeAction();
        PlanTest.NodeAction second = new PlanTest.NodeAction();
        Plan deploy = engine.register(new Plan("deploy", Strategy.SERIAL, List.of(new Phase("node-deploy",
                Strategy.SERIAL, List.of(new Step("hivemq-0:[node]", first), new Step("hivemq-1:[node]", second))))));
        engine.register(new Plan("recovery", Strategy.SERIAL, List.of()));
        assertFalse(engine.underWay(), "nothing started yet");

        engine.tick();
        assertTrue(engine.underWay(), "hivemq-0 is launched and its step waits for it");

        deploy.interrupt(null);
        assertTrue(engine.underWay(), "held: no further step starts, but hivemq-0's still ends when it is healthy");
        first.healthy = true;
        engine.tick();
        assertFalse(engine.underWay(), "held after hivemq-0: hivemq-1 does not start");

        deploy.proceed(null);
        engine.tick();
        assertTrue(engine.underWay());
        second.healthy = true;
        engine.tick();
        assertFalse(engine.underWay(), "deploy is " + deploy.status());
    }
}
