package io.hivemqsuite.endpoint.vip;

import java.util.List;

/**
 * Which in-rotation backend takes a new connection. Kept behind an interface because client-id affinity (the
 * broker router's "home node") replaces round robin later, without touching the proxying.
 */
public interface BackendChoice {
    /**
     * @param candidates the backends in rotation, never empty, ordered by node index
     * @param client     the client's remote address, {@code host:port}
     */
    Backend pick(List<Backend> candidates, String client);
}
