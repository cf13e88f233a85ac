package io.hivemqsuite.metrics.suite;

/**
 * One suite service's {@code /q/metrics} as read for one scrape of metrics-svc.
 *
 * @param source the service ({@code scheduler}, {@code sidecar}, {@code endpoint})
 * @param text   its Prometheus text, or null when it did not answer in time (its series are left out then)
 */
public record ServiceScrape(String source, String text) {
    public boolean up() {
        return text != null;
    }
}
