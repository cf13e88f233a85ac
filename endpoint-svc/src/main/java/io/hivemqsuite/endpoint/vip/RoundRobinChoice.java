package io.hivemqsuite.endpoint.vip;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

public class RoundRobinChoice implements BackendChoice {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Backend pick(List<Backend> candidates, String client) {
        return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }
}
