package io.hivemqsuite.protocol.options;

/**
 * One refused option: the dotted path of the field as the user wrote it ({@code node.count}) and why.
 */
public record FieldError(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
