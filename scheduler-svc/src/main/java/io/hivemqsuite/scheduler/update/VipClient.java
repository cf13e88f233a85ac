package io.hivemqsuite.scheduler.update;

import io.hivemqsuite.protocol.http.InternalHttp;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Takes a pod out of the VIPs' rotation and back ({@code POST <endpoint-svc>/v1/vip/drain|undrain/<pod>}, API
 * token), so that no new client lands on a node that is about to restart. An endpoint service that does not
 * answer does not stop an update: the node is restarted anyway, and the step message says it was not drained.
 */
public final class VipClient {
    private final InternalHttp http = new InternalHttp(Duration.ofSeconds(2));
    private final String endpointUrl;
    private final Supplier<String> token;

    public VipClient(String endpointUrl, Supplier<String> token) {
        this.endpointUrl = endpointUrl;
        this.token = token;
    }

    /** @return a sentence for the step message */
    public String drain(String pod) {
        return call("drain", pod);
    }

    /**
     * Drained for a restart that moves the node's clients first: the VIPs do not hold them for it, they send them to
     * their next node at once.
     */
    public String drainForMove(String pod) {
        return call("drain", pod, "?move=true");
    }

    public String undrain(String pod) {
        return call("undrain", pod);
    }

    /** A leaving node: once the target no longer has it the VIPs send it nothing new, which is what a drain wants. */
    public String drainLeaving(String pod) {
        String answer = call("drain", pod);
        return answer.startsWith("VIP drain answered 404") ? "out of VIP rotation (no longer in the target)" : answer;
    }

    private String call(String verb, String pod) {
        return call(verb, pod, "");
    }

    private String call(String verb, String pod, String query) {
        try {
            InternalHttp.Response response = http.send("POST", endpointUrl + "/v1/vip/" + verb + "/" + pod + query,
                    Map.of("Authorization", "Bearer " + token.get()), "", Duration.ofSeconds(5));
            if (response.statusCode() == 200) {
                return verb.equals("drain") ? "drained from the VIPs" : "back in VIP rotation";
            }
            return "VIP " + verb + " answered " + response.statusCode() + " (" + response.body() + ")";
        } catch (IOException e) {
            return "endpoint-svc not reachable at " + endpointUrl + ", VIP " + verb + " skipped";
        }
    }
}
