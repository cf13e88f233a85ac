package io.hivemqsuite.protocol.rbac;

/** How the passwords of a credentials file are written ({@code <password-type>} of the extension config). */
public enum PasswordType {
    /** {@code <salt base64>:<iterations>:<PBKDF2-HMAC-SHA512 base64>}, see {@link PasswordHash}. */
    HASHED,
    /** The password itself, compared as UTF-8 text. */
    PLAIN
}
