package io.hivemqsuite.protocol.rbac;

import java.util.List;

/**
 * A credentials or extension-config file that cannot be used. The message names the option the file came from
 * (e.g. {@code mqtt.auth.rbac_config}) and lists every problem, so one attempt shows the user everything to fix.
 */
public class RbacConfigException extends IllegalArgumentException {
    private final String field;
    private final List<String> problems;

    public RbacConfigException(String field, List<String> problems) {
        super(field + ": " + String.join("; ", problems));
        this.field = field;
        this.problems = List.copyOf(problems);
    }

    public RbacConfigException(String field, String problem) {
        this(field, List.of(problem));
    }

    public String field() {
        return field;
    }

    public List<String> problems() {
        return problems;
    }
}
