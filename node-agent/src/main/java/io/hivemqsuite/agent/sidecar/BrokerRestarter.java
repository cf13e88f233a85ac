package io.hivemqsuite.agent.sidecar;

/** Restarts this node's broker so it loads its extensions again (CE scans them only at start). */
public interface BrokerRestarter {

    /** Restarts and waits until the broker is healthy again; answers null when it is, else why not. */
    String restartAndAwaitHealthy(String why);

    /** For changes made before the broker's first start: nothing to restart. */
    BrokerRestarter NONE = why -> null;
}
