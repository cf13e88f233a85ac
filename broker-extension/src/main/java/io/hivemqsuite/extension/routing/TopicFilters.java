package io.hivemqsuite.extension.routing;

/**
 * MQTT topic filter matching, as the broker does it, for deciding which peer must get a publish. Kept here rather
 * than borrowed from the broker: the SDK offers no matcher, and the router must agree with MQTT 5 section 4.7.
 */
final class TopicFilters {
    private static final String SHARED = "$share/";

    private TopicFilters() {
    }

    /** {@code $share/<group>/<filter>} counts as its filter: routing interest is about topics, not groups. */
    static String withoutShare(String filter) {
        if (filter.startsWith(SHARED)) {
            int slash = filter.indexOf('/', SHARED.length());
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        return filter;
    }

    static boolean matches(String filter, String topic) {
        // Wildcards at the first level never match $-topics (MQTT 5, 4.7.2).
        if (topic.startsWith("$") && (filter.startsWith("#") || filter.startsWith("+"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        // "<=": a filter ending in "/" has an empty last level, which must meet the topic's empty last level.
        while (f <= fl) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = fl;
            }
            String level = filter.substring(f, fEnd);
            if (level.equals("#")) {
                return true; // also matches the parent level: "a/#" matches "a"
            }
            if (t > tl) {
                return false;
            }
            int tEnd = topic.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = tl;
            }
            if (!level.equals("+") && !level.equals(topic.substring(t, tEnd))) {
                return false;
            }
            f = fEnd + 1;
            t = tEnd + 1;
            if (f > fl) {
                // filter consumed; the topic must be consumed too
                return t > tl;
            }
            if (t > tl) {
                // topic consumed, filter not: only a trailing "/#" still matches
                return filter.substring(f).equals("#");
            }
        }
        return t > tl;
    }
}
