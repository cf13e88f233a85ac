package io.hivemqsuite.protocol.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hivemq.java_options}: extra JVM options of each broker. The node agent owns the broker's folders, its
 * classpath, its log (it waits for the start line) and its process, so options that would take any of these out
 * of its hands are refused here, before anything is written; the rest go on the broker's command line after the
 * agent's own, so the user's wins where the JVM takes the last one (a heap below {@code node.mem}, a collector).
 */
public final class JavaOptions {
    public static final String FIELD = "hivemq.java_options";

    private static final Pattern HEAP = Pattern.compile("-(?:Xmx|XX:MaxHeapSize=)(\\d+)([kKmMgGtT]?)");
    private static final List<String> AGENT_PROPERTIES = List.of("hivemq.home", "hivemq.config.folder",
            "hivemq.data.folder", "hivemq.log.folder", "hivemq.extensions.folder", "hivemq.license.folder",
            "logback.configurationFile", "java.class.path");
    private static final List<String> EXITING = List.of("-version", "--version", "-help", "--help", "-h", "-?", "-X",
            "--dry-run", "-XX:+PrintFlagsFinal");
    private static final List<String> CLASSPATH = List.of("-cp", "-classpath", "--class-path", "-jar", "-m",
            "--module");

    private JavaOptions() {
    }

    /** The options as command-line words: whitespace separates them (no quoting, as in JAVA_OPTS). */
    public static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.trim().split("\\s+")).toList();
    }

    /** Whether the options choose a garbage collector (the agent's default, the serial one, must then go). */
    public static boolean choosesCollector(String text) {
        return words(text).stream().anyMatch(w -> w.matches("-XX:\\+Use\\w*GC"));
    }

    /** Every refused word, each with why; empty when the options may be used. */
    public static List<FieldError> check(String text, int nodeMemMb) {
        List<FieldError> errors = new ArrayList<>();
        for (String word : words(text)) {
            reason(word, nodeMemMb).ifPresent(r -> errors.add(new FieldError(FIELD, "'" + word + "' " + r)));
        }
        return errors;
    }

    private static Optional<String> reason(String word, int nodeMemMb) {
        if (!word.startsWith("-")) {
            return Optional.of("is not an option: the JVM would take it as the class to run instead of the broker");
        }
        if (EXITING.contains(word)) {
            return Optional.of("makes the JVM print and exit instead of running the broker");
        }
        if (CLASSPATH.contains(word)) {
            return Optional.of("changes what the JVM runs; the node agent sets the broker's classpath and main class");
        }
        if (word.startsWith("-D")) {
            String name = word.substring(2).split("=", 2)[0];
            if (AGENT_PROPERTIES.contains(name)) {
                return Optional.of("moves what the node agent lays out and watches (the broker's home, folders, log"
                        + " configuration or classpath); set the log level with hivemq.hivemq_log_level");
            }
        }
        Matcher heap = HEAP.matcher(word);
        if (heap.matches()) {
            long mb = megabytes(Long.parseLong(heap.group(1)), heap.group(2));
            if (mb >= nodeMemMb) {
                return Optional.of("asks for a " + mb + " MB heap, which must be below node.mem (" + nodeMemMb
                        + " MB): the node's memory also holds the JVM's own");
            }
            if (mb < 64) {
                return Optional.of("asks for a " + mb + " MB heap; a broker needs at least 64 MB");
            }
        }
        return Optional.empty();
    }

    private static long megabytes(long value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "k" -> value / 1024;
            case "m" -> value;
            case "g" -> value * 1024;
            case "t" -> value * 1024 * 1024;
            default -> value / (1024 * 1024);
        };
    }
}
