package io.hivemqsuite.protocol.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * A client identifier's home node: the node with the highest random weight for the identifier (rendezvous hashing),
 * weighted by node index so that an address change keeps the clients. The MQTT VIP sends a client to its home among
 * every node of the spec; a leaving node's persistent sessions are handed over to the home their clients will
 * find among the remaining nodes. One function, so both always agree.
 */
public final class ClientHome {
    private ClientHome() {
    }

    /** The home among {@code nodes}; -1 when there is none. Ties (never seen in practice) go to the lower index. */
    public static int among(String clientId, Collection<Integer> nodes) {
        long key = keyHash(clientId);
        int best = -1;
        long bestWeight = 0;
        for (int node : nodes) {
            long w = weight(key, node);
            if (best < 0 || w > bestWeight || (w == bestWeight && node < best)) {
                best = node;
                bestWeight = w;
            }
        }
        return best;
    }

    public static long keyHash(String clientId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    public static long weight(long keyHash, int node) {
        return mix(keyHash ^ mix(0x9E3779B97F4A7C15L * (node + 1)));
    }

    /** SplitMix64's finalizer: spreads FNV's weak low bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
