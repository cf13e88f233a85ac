package io.hivemqsuite.cli.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.cli.service.ApiResponse;
import io.hivemqsuite.cli.service.SchedulerClient;
import io.hivemqsuite.protocol.dist.LocalLayout;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/** Follows the deploy plan, printing one line whenever a step changes its status. */
final class DeployFollower {
    private final SchedulerClient client;
    private final PrintWriter out;
    private final InstallTimeline timeline;
    private final Map<String, String> seen = new HashMap<>();

    DeployFollower(SchedulerClient client, PrintWriter out, InstallTimeline timeline) {
        this.client = client;
        this.out = out;
        this.timeline = timeline;
    }

    void follow(Deadline deadline, LocalLayout layout) {
        String lastProblem = null;
        while (true) {
            ApiResponse response = client.get("/v1/plans/deploy");
            if (response.status() == 200 || response.status() == 202 || response.status() == 417) {
                JsonNode plan = response.json();
                report(plan);
                String status = plan.path("status").asText();
                if ("COMPLETE".equals(status)) {
                    return;
                }
                if ("ERROR".equals(status)) {
                    throw new CliException("deploy plan failed:" + problems(plan)
                            + "\nsee the logs in " + layout.logDir());
                }
            } else {
                // the plan may not exist for a moment while the scheduler reads its state
                lastProblem = response.errorText();
            }
            if (deadline.passed()) {
                throw new CliException("deploy plan is not COMPLETE after " + deadline.total().toSeconds() + " s"
                        + (lastProblem != null ? " (last answer " + lastProblem + ")" : "")
                        + "; follow it with: hivemq --name " + layout.service() + " plan status deploy");
            }
            // a GET of a small document on loopback: polling often costs little and COMPLETE is seen sooner
            Deadline.pause(200);
        }
    }

    private void report(JsonNode plan) {
        for (JsonNode phase : plan.path("phases")) {
            for (JsonNode step : phase.path("steps")) {
                String key = phase.path("name").asText() + "/" + step.path("name").asText();
                String status = step.path("status").asText();
                if (!status.equals(seen.put(key, status))) {
                    timeline.mark("deploy plan", step.path("name").asText() + " " + status);
                    String message = step.path("message").asText("");
                    out.println(step.path("name").asText() + " " + status
                            + ("ERROR".equals(status) && !message.isEmpty() ? " (" + message + ")" : ""));
                    out.flush();
                }
            }
        }
    }

    private static String problems(JsonNode plan) {
        StringBuilder text = new StringBuilder();
        for (JsonNode error : plan.path("errors")) {
            text.append("\n  ").append(error.asText());
        }
        for (JsonNode phase : plan.path("phases")) {
            for (JsonNode step : phase.path("steps")) {
                if ("ERROR".equals(step.path("status").asText())) {
                    text.append("\n  ").append(step.path("name").asText()).append(": ")
                            .append(step.path("message").asText(""));
                }
            }
        }
        return text.toString();
    }
}
