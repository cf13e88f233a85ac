package io.hivemqsuite.scheduler.api.auth;

import io.hivemqsuite.scheduler.settings.SchedulerSettings;
import io.hivemqsuite.servicekit.auth.AcceptedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;

/** Every path of the scheduler's API takes the operator's API token only. */
@ApplicationScoped
public class SchedulerTokens implements AcceptedTokens {

    @Inject
    SchedulerSettings settings;

    @Override
    public Collection<String> accepted(String path) {
        return List.of(settings.token());
    }
}
