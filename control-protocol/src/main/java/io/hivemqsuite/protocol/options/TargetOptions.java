package io.hivemqsuite.protocol.options;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The options the scheduler is rolling the cluster towards ({@code GET /v1/configurations/target}): how the services
 * beside the scheduler learn the node count, the MQTT port and the metrics settings, which updates change.
 */
public final class TargetOptions {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private TargetOptions() {
    }

    /** @throws Unavailable when the scheduler cannot be asked or does not answer 200 */
    public static ServiceOptions fetch(String schedulerUrl, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(schedulerUrl + "/v1/configurations/target"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Unavailable("the scheduler answered HTTP " + response.statusCode()
                        + " for its target configuration");
            }
            return new OptionsReader().read(response.body());
        } catch (IOException e) {
            throw new Unavailable("the scheduler at " + schedulerUrl + " cannot be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking the scheduler");
        }
    }

    /** The target cannot be read right now; ask again later. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
