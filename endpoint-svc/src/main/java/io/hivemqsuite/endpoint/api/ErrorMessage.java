package io.hivemqsuite.endpoint.api;

/** The error body every service of the suite answers with: {@code {"message": "..."}}. */
public record ErrorMessage(String message) {
}
