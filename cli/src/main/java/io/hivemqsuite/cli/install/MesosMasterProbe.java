package io.hivemqsuite.cli.install;

import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.protocol.security.ServiceAccountLogin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * In mesos mode the scheduler can do nothing without a master, so install asks the master first (its
 * {@code GET /version}, which every Mesos master answers, leading or not) and refuses before writing or
 * starting anything: a scheduler that cannot subscribe would otherwise sit there and the deploy never begin.
 */
final class MesosMasterProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private MesosMasterProbe() {
    }

    static void requireReachable(String masterUrl) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String problem;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(masterUrl + "/version"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return;
            }
            problem = "it answered GET /version with HTTP " + response.statusCode();
        } catch (IOException e) {
            problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (IllegalArgumentException e) {
            problem = "not a URL: " + e.getMessage();
        }
        throw new CliException("service.mesos_master: the Mesos master at " + masterUrl + " is not reachable ("
                + problem + "); mesos mode needs a running master (set service.mesos_master, or use mode local)."
                + " Nothing was installed.");
    }

    /**
     * With {@code service.service_account_secret} set, logs in as the scheduler will, so that a wrong key or an
     * unknown account is refused here, before anything is written or started.
     */
    static void requireLogin(String account, String secret, String masterUrl) {
        try {
            ServiceAccountLogin.of(account, secret, masterUrl).ifPresent(ServiceAccountLogin::token);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(e.getMessage() + ". Nothing was installed.");
        }
    }
}
