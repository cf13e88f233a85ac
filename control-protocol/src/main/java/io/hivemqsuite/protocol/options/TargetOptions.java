package io.hivemqsuite.protocol.options;

import io.hivemqsuite.protocol.http.InternalHttp;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The options the scheduler is rolling the cluster towards ({@code GET /v1/configurations/target}): how the services
 * beside the scheduler learn the node count, the MQTT port and the metrics settings, which updates change.
 */
public final class TargetOptions {
    private static final InternalHttp HTTP = new InternalHttp(Duration.ofSeconds(3));

    private TargetOptions() {
    }

    /** @throws Unavailable when the scheduler cannot be asked or does not answer 200 */
    public static ServiceOptions fetch(String schedulerUrl, String token) {
        try {
            InternalHttp.Response response = HTTP.send("GET", schedulerUrl + "/v1/configurations/target",
                    Map.of("Authorization", "Bearer " + token), null, Duration.ofSeconds(10));
            if (response.statusCode() != 200) {
                throw new Unavailable("the scheduler answered HTTP " + response.statusCode()
                        + " for its target configuration");
            }
            return new OptionsReader().read(response.body());
        } catch (IOException e) {
            throw new Unavailable("the scheduler at " + schedulerUrl + " cannot be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The target cannot be read right now; ask again later. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
