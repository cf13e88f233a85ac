package io.hivemqsuite.scheduler.api.uninstall;

import io.hivemqsuite.scheduler.lifecycle.SchedulerRuntime;
import io.hivemqsuite.scheduler.settings.SchedulerConfig;
import io.hivemqsuite.servicekit.api.ApiError;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * Tears the service down: answers once every node process is gone and the state is deleted, then the scheduler
 * exits with code 0, so the caller can delete the service folder as soon as the scheduler's pid is gone.
 */
@Path("/v1/uninstall")
@Produces(MediaType.APPLICATION_JSON)
public class UninstallResource {

    @Inject
    SchedulerRuntime runtime;

    @Inject
    SchedulerConfig config;

    @POST
    public Response uninstall() {
        if (!runtime.ready()) {
            return ApiError.response(409, "the scheduler is starting or already uninstalling", null);
        }
        List<String> stopped = runtime.uninstall();
        if (config.uninstall().exit()) {
            Thread exit = new Thread(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Quarkus.asyncExit(0);
            }, "uninstall-exit");
            exit.setDaemon(false);
            exit.start();
        }
        return Response.ok(Map.of("message", "uninstalled " + runtime.spec().service().name()
                + ": node agents stopped, state deleted; the scheduler exits now", "pods", stopped)).build();
    }
}
