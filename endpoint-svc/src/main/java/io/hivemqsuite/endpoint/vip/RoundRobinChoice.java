package io.hivemqsuite.endpoint.vip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Every new connection to the next node in rotation; the rest follow as fallbacks. Nothing is held. */
public class RoundRobinChoice implements BackendChoice {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Route route(List<Backend> backends, List<Backend> inRotation, String key) {
        if (inRotation.isEmpty()) {
            return new Route(List.of(), false);
        }
        int start = Math.floorMod(next.getAndIncrement(), inRotation.size());
        List<Backend> order = new ArrayList<>(inRotation.size());
        for (int i = 0; i < inRotation.size(); i++) {
            order.add(inRotation.get((start + i) % inRotation.size()));
        }
        return new Route(order, false);
    }
}
