package io.hivemqsuite.servicekit.auth;

import io.hivemqsuite.servicekit.settings.SuiteSecrets;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** Unless a service says otherwise: the operator's API token ({@code suite.token-file}) on every path. */
@Dependent
public class ApiTokenOnly {

    @Produces
    @DefaultBean
    @Singleton
    AcceptedTokens apiTokenOnly(SuiteSecrets secrets) {
        return path -> List.of(secrets.token());
    }
}
