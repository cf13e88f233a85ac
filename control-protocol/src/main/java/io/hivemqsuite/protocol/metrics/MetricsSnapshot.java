package io.hivemqsuite.protocol.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One node's broker metrics at one moment, as the broker extension publishes them (not retained) on
 * {@code ControlTopics.metrics(service, node)} every {@code hivemq.metrics_interval} seconds and metrics-svc reads
 * them. The wire form is a few lines of text, not JSON: the extension carries no JSON library, and a snapshot of
 * ~80 samples stays about 4 KB.
 *
 * <pre>
 * hms1 &lt;node&gt; &lt;takenAt epoch ms&gt; &lt;interval s&gt;
 * c com.hivemq.messages.incoming.publish.rate 1234
 * g com.hivemq.networking.connections.current 3
 * </pre>
 *
 * @param node            the node index whose broker was read
 * @param takenAt         epoch milliseconds of the reading
 * @param intervalSeconds how often the node publishes: a reader may call the node stale after a few of them
 * @param samples         the values, names in the broker's dotted form
 */
public record MetricsSnapshot(int node, long takenAt, int intervalSeconds, List<Sample> samples) {
    private static final String FORMAT = "hms1";
    /** Dropwizard names are dotted words; anything else would not survive the Prometheus or StatsD naming. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]{0,199}");

    /**
     * Counters only grow (a restart starts them at 0 again); gauges are a current value (connections, heap, and the
     * broker's own Dropwizard counters that also go down, such as {@code ...connections.current}).
     */
    public enum Kind {
        COUNTER('c'), GAUGE('g');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }
    }

    public record Sample(String name, Kind kind, double value) {
        public Sample {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("metric name must be letters, digits, '.', '_' or '-' but is '"
                        + name + "'");
            }
            if (kind == null) {
                throw new IllegalArgumentException("metric " + name + " has no kind");
            }
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("metric " + name + " must have a finite value but has " + value);
            }
        }
    }

    public MetricsSnapshot {
        if (node < 0) {
            throw new IllegalArgumentException("node must not be negative but is " + node);
        }
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("interval must be at least 1 s but is " + intervalSeconds);
        }
        samples = List.copyOf(samples);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public byte[] encode() {
        StringBuilder text = new StringBuilder(64 + samples.size() * 56);
        text.append(FORMAT).append(' ').append(node).append(' ').append(takenAt).append(' ').append(intervalSeconds);
        for (Sample s : samples) {
            text.append('\n').append(s.kind().code).append(' ').append(s.name()).append(' ');
            double v = s.value();
            // integral values (nearly all of them) without ".0": shorter and exact up to 2^53
            if (v == Math.rint(v) && Math.abs(v) < 9.0e15) {
                text.append((long) v);
            } else {
                text.append(v);
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a snapshot; anything malformed is refused whole, with the line and the reason. */
    public static MetricsSnapshot decode(byte[] payload) {
        String[] lines = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        String[] head = lines[0].split(" ");
        if (head.length != 4 || !head[0].equals(FORMAT)) {
            throw new IllegalArgumentException("line 1: not a metrics snapshot (expected '" + FORMAT
                    + " <node> <takenAt> <interval>')");
        }
        int node = (int) number(head[1], 1, "node");
        long takenAt = number(head[2], 1, "takenAt");
        int interval = (int) number(head[3], 1, "interval");
        List<Sample> samples = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            String[] parts = line.split(" ");
            Kind kind = parts.length == 3 && parts[0].length() == 1 ? Kind.of(parts[0].charAt(0)) : null;
            if (kind == null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected '<c|g> <name> <value>' but is '"
                        + abbreviate(line) + "'");
            }
            double value;
            try {
                value = Double.parseDouble(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": value of " + abbreviate(parts[1])
                        + " is not a number: '" + abbreviate(parts[2]) + "'");
            }
            try {
                samples.add(new Sample(parts[1], kind, value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        try {
            return new MetricsSnapshot(node, takenAt, interval, samples);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line 1: " + e.getMessage());
        }
    }

    private static long number(String text, int line, String field) {
        try {
            long value = Long.parseLong(text);
            if (value < 0 || (!field.equals("takenAt") && value > Integer.MAX_VALUE)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + line + ": " + field + " must be a non-negative integer but is '"
                    + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
