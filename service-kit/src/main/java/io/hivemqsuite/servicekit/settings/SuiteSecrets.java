package io.hivemqsuite.servicekit.settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API token and the internal credential, read from the files {@link SuiteSettings} names. Each is read once,
 * when first needed, and kept: a token file deleted later does not lock the operator out. A missing, unreadable or
 * empty file fails naming the setting and the file.
 */
@ApplicationScoped
public class SuiteSecrets {

    @Inject
    SuiteSettings settings;

    private volatile String token;
    private volatile String credential;

    /** The operator's API token ({@code suite.token-file}). */
    public String token() {
        String t = token;
        if (t == null) {
            t = read(SuiteSettings.required(settings.tokenFile(), "suite.token-file"), "suite.token-file");
            token = t;
        }
        return t;
    }

    /** The internal credential ({@code suite.credential-file}): the MQTT password and the agents' bearer token. */
    public String credential() {
        String c = credential;
        if (c == null) {
            c = read(SuiteSettings.required(settings.credentialFile(), "suite.credential-file"),
                    "suite.credential-file");
            credential = c;
        }
        return c;
    }

    static String read(String file, String setting) {
        try {
            String value = Files.readString(Path.of(file)).trim();
            if (value.isEmpty()) {
                throw new IllegalStateException("setting " + setting + ": file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("setting " + setting + ": cannot read " + file, e);
        }
    }
}
