package io.hivemqsuite.protocol.rbac;

/**
 * The placeholders of a permission's topic filter: {@code ${{clientid}}} and {@code ${{username}}} (names in any
 * case) become the connecting client's id and user name; any other {@code ${{...}}} stays as written; a
 * placeholder preceded by {@code §} is kept literally without the {@code §}. As in the File RBAC extension.
 *
 * <p>One pass only: a client id that itself contains {@code ${{username}}} is not expanded again (the extension's
 * substitutor would expand it, and fail on a client id containing {@code ${{clientid}}}).
 */
public final class TopicSubstitution {
    private static final String PREFIX = "${{";
    private static final String SUFFIX = "}}";
    private static final char ESCAPE = '§';

    private TopicSubstitution() {
    }

    public static String substitute(String topic, String clientId, String userName) {
        StringBuilder out = new StringBuilder(topic.length() + 32);
        int i = 0;
        while (i < topic.length()) {
            int start = topic.indexOf(PREFIX, i);
            if (start < 0) {
                out.append(topic, i, topic.length());
                break;
            }
            int end = topic.indexOf(SUFFIX, start + PREFIX.length());
            if (end < 0) {
                out.append(topic, i, topic.length());
                break;
            }
            String placeholder = topic.substring(start, end + SUFFIX.length());
            if (start > i && topic.charAt(start - 1) == ESCAPE) {
                out.append(topic, i, start - 1).append(placeholder);
            } else {
                String name = topic.substring(start + PREFIX.length(), end).toLowerCase(java.util.Locale.ROOT);
                String value = switch (name) {
                    case "clientid" -> clientId;
                    case "username" -> userName;
                    default -> placeholder;
                };
                out.append(topic, i, start).append(value);
            }
            i = end + SUFFIX.length();
        }
        return out.toString();
    }
}
