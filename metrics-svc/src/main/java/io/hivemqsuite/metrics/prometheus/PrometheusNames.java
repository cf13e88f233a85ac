package io.hivemqsuite.metrics.prometheus;

/**
 * HiveMQ's own Prometheus extension names a Dropwizard metric by its dotted name with every character Prometheus does
 * not allow replaced by an underscore ({@code com.hivemq.networking.connections-closed.total.count} ->
 * {@code com_hivemq_networking_connections_closed_total_count}), with no suffix added: dashboards written for it
 * query exactly these names.
 */
public final class PrometheusNames {
    private PrometheusNames() {
    }

    public static String of(String dottedName) {
        StringBuilder name = new StringBuilder(dottedName.length());
        for (int i = 0; i < dottedName.length(); i++) {
            char c = dottedName.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
                    || (i > 0 && c >= '0' && c <= '9');
            name.append(allowed ? c : '_');
        }
        return name.toString();
    }

    /** A label value in the text format: backslash, double quote and newline escaped. */
    public static String labelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Integral values without a fraction (counts, bytes), others as Java prints them (the format reads both). */
    public static String value(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 9.0e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
