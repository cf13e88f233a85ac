package io.hivemqsuite.cli.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemqsuite.cli.CliException;
import io.hivemqsuite.cli.HivemqCommand;
import io.hivemqsuite.cli.service.ApiResponse;
import io.hivemqsuite.cli.service.InstalledService;
import io.hivemqsuite.cli.service.Json;
import io.hivemqsuite.cli.service.SchedulerClient;
import io.hivemqsuite.protocol.sidecar.SidecarPlans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hivemq plan ...}: the dcos-commons plan commands. Users see one list of plans; the sidecar plans
 * ({@code add-license}, {@code add-extension}, ...) are served by sidecar-svc, the others by the scheduler.
 */
@Command(name = "plan", description = "Query and control the service's plans.",
        subcommands = {PlanCommand.ListPlans.class, PlanCommand.StatusOfPlan.class, PlanCommand.StartPlan.class,
                PlanCommand.StopPlan.class, PlanCommand.InterruptPlan.class, PlanCommand.ContinuePlan.class,
                PlanCommand.ForceCompleteStep.class, PlanCommand.RestartStep.class})
public class PlanCommand {
    @ParentCommand
    HivemqCommand root;

    SchedulerClient client() {
        return InstalledService.find(root.serviceName()).client();
    }

    /** The service that owns the plan: same API shape and token, another address. */
    SchedulerClient client(String plan) {
        InstalledService service = InstalledService.find(root.serviceName());
        return SidecarPlans.ALL.contains(plan) ? service.sidecarClient() : service.client();
    }

    /** Shared by the subcommands: where to print and how to reach the scheduler. */
    abstract static class PlanSubcommand implements Callable<Integer> {
        @ParentCommand
        PlanCommand plans;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Prints the server's answer ({@code {"message": ...}}) and fails on a refusal. */
        int printMessage(ApiResponse response) {
            response.requireOk();
            String text = response.body();
            try {
                if (response.json().hasNonNull("message")) {
                    text = response.json().get("message").asText();
                }
            } catch (RuntimeException notJson) {
                // printed as sent
            }
            out().println(text);
            out().flush();
            return 0;
        }
    }

    @Command(name = "list", description = "List the plans.")
    static class ListPlans extends PlanSubcommand {
        @Override
        public Integer call() {
            var names = Json.MAPPER.createArrayNode();
            plans.client().get("/v1/plans").requireOk().json().forEach(names::add);
            SidecarPlans.ALL.forEach(names::add);
            out().println(Json.pretty(names.toString()));
            out().flush();
            return 0;
        }
    }

    @Command(name = "status", description = "Show a plan with its phases and steps.")
    static class StatusOfPlan extends PlanSubcommand {
        @Parameters(index = "0", paramLabel = "PLAN")
        String plan;

        @Option(names = "--json", description = "Print the JSON answer of the API once.")
        boolean json;

        @Option(names = "--watch", negatable = true, description = "Refresh the tree until the plan is COMPLETE,"
                + " ERROR or WAITING (default: when the output is a terminal).")
        Boolean watch;

        @Override
        public Integer call() {
            boolean live = !json && (watch != null ? watch : System.console() != null);
            SchedulerClient client = plans.client(plan);
            while (true) {
                ApiResponse response = client.get("/v1/plans/" + SchedulerClient.encode(plan));
                // 202 (in progress) and 417 (error or waiting) still carry the plan: dcos-commons answers so.
                if (response.status() != 200 && response.status() != 202 && response.status() != 417) {
                    throw new CliException(response.errorText());
                }
                if (live) {
                    out().print("\033[H\033[2J"); // clear the screen: the tree is redrawn in place
                }
                out().println(json ? Json.pretty(response.body()) : PlanTree.render(response.json()));
                out().flush();
                if (!live || response.status() != 202) {
                    return 0;
                }
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    @Command(name = "start", description = "Start a plan, e.g. plan start add-license -p LICENSE=... -p LICENSE_NAME=...")
    static class StartPlan extends PlanSubcommand {
        @Parameters(index = "0", paramLabel = "PLAN")
        String plan;

        @Option(names = {"-p", "--params"}, paramLabel = "KEY=VALUE", description = "A plan parameter (repeatable).")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Override
        public Integer call() {
            ObjectNode body = Json.MAPPER.createObjectNode();
            parameters.forEach(body::put);
            return printMessage(plans.client(plan).post("/v1/plans/" + SchedulerClient.encode(plan) + "/start",
                    body.toString()));
        }
    }

    /** stop / interrupt / continue: a plan and optionally one of its phases. */
    abstract static class PhaseAction extends PlanSubcommand {
        @Parameters(index = "0", paramLabel = "PLAN")
        String plan;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PHASE")
        String phase;

        abstract String action();

        @Override
        public Integer call() {
            String path = SchedulerClient.withQuery("/v1/plans/" + SchedulerClient.encode(plan) + "/" + action(),
                    SchedulerClient.params("phase", phase));
            return printMessage(plans.client(plan).post(path, ""));
        }
    }

    @Command(name = "stop", description = "Stop a plan (it starts over on the next start).")
    static class StopPlan extends PhaseAction {
        @Override
        String action() {
            return "stop";
        }
    }

    @Command(name = "interrupt", description = "Interrupt a plan or one of its phases (status WAITING).")
    static class InterruptPlan extends PhaseAction {
        @Override
        String action() {
            return "interrupt";
        }
    }

    @Command(name = "continue", description = "Continue an interrupted plan or phase.")
    static class ContinuePlan extends PhaseAction {
        @Override
        String action() {
            return "continue";
        }
    }

    /** force-complete / restart: one step of one phase. */
    abstract static class StepAction extends PlanSubcommand {
        @Parameters(index = "0", paramLabel = "PLAN")
        String plan;

        @Parameters(index = "1", paramLabel = "PHASE")
        String phase;

        @Parameters(index = "2", paramLabel = "STEP")
        String step;

        abstract String action();

        @Override
        public Integer call() {
            String path = SchedulerClient.withQuery("/v1/plans/" + SchedulerClient.encode(plan) + "/" + action(),
                    SchedulerClient.params("phase", phase, "step", step));
            return printMessage(plans.client(plan).post(path, ""));
        }
    }

    @Command(name = "force-complete", description = "Mark a step COMPLETE without running it.")
    static class ForceCompleteStep extends StepAction {
        @Override
        String action() {
            return "forceComplete";
        }
    }

    @Command(name = "restart", description = "Run a step again.")
    static class RestartStep extends StepAction {
        @Override
        String action() {
            return "restart";
        }
    }
}
