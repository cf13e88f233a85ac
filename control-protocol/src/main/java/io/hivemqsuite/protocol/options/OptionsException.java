package io.hivemqsuite.protocol.options;

import java.util.List;

/**
 * Options that cannot be installed. Carries every refused field, not only the first, so a user can fix
 * an options file in one go.
 */
public class OptionsException extends RuntimeException {
    private final List<FieldError> errors;

    public OptionsException(List<FieldError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    public OptionsException(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The first refused field: what REST answers put in their {@code field} member. */
    public String field() {
        return errors.get(0).field();
    }

    private static String describe(List<FieldError> errors) {
        StringBuilder text = new StringBuilder("invalid options: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(errors.get(i));
        }
        return text.toString();
    }
}
