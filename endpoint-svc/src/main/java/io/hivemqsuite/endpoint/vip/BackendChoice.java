package io.hivemqsuite.endpoint.vip;

import java.util.List;

/**
 * Which backend takes a new connection. The proxying ({@link VipBalancer}) only follows the route this gives:
 * round robin ({@link RoundRobinChoice}) or a client's home node ({@link RendezvousChoice}).
 */
public interface BackendChoice {
    /**
     * @param backends   every node of the spec, in rotation or not, ordered by node index
     * @param inRotation the backends taking new connections now (a subset of {@code backends})
     * @param key        the client's affinity key (its MQTT client identifier, or its source host where the VIP
     *                   cannot read the CONNECT); empty when it has none
     */
    Route route(List<Backend> backends, List<Backend> inRotation, String key);

    /**
     * @param order  the backends to try, best first
     * @param sticky the first is the client's home: while it is in the spec but out of rotation (restarting,
     *               drained) the VIP holds the connection for it, up to the hold time, before it tries the rest
     */
    record Route(List<Backend> order, boolean sticky) {
    }
}
