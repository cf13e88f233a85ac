package io.hivemqsuite.mesosdouble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Faults and a view of the double's state over HTTP, for a double run alone ({@code run.sh}):
 * <pre>
 * GET  /admin/state                    frameworks, agents, reservations and volumes, tasks, refusals (JSON)
 * POST /admin/agents                   adds an agent (body, optional: its attributes, zone:a;rack:r1); answers its hostname
 * POST /admin/agents/{host|id}/lose    the agent dies: tasks LOST, offers rescinded, its resources gone
 * POST /admin/tasks/{id}/fail          the task's process is killed: TASK_FAILED
 * POST /admin/offers/rescind           every outstanding offer is rescinded
 * POST /admin/failover                 a new leader (new port); the old address answers 307
 * POST /admin/heartbeats/stop          the event streams go silent but stay open
 * POST /admin/accounts/{uid}           registers a service account (body: its public key, PEM): logins required
 * POST /admin/tokens/revoke            every login token issued so far stops working (401 until a new login)
 * </pre>
 */
final class AdminHttp implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MesosMasterDouble master;

    AdminHttp(MesosMasterDouble master) {
        this.master = master;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String[] parts = path.split("/");
        if ("GET".equals(method) && path.equals("/admin/state")) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("leader", master.url());
            state.put("frameworks", master.frameworks());
            state.put("removed_frameworks", master.removedFrameworks());
            state.put("agents", master.agentHostnames());
            state.put("reservations", master.reservations());
            state.put("tasks", master.tasks().stream().map(t -> Map.of("id", t.id(), "name", t.name(),
                    "agent", t.agent(), "state", t.state(), "pid", t.pid(), "sandbox", t.sandbox().toString())).toList());
            state.put("refusals", master.refusals());
            state.put("logins", master.logins());
            SchedulerHttp.answer(exchange, 200, "application/json", JSON.writeValueAsString(state));
            return;
        }
        if (!"POST".equals(method)) {
            SchedulerHttp.answer(exchange, 405, "text/plain", "use GET /admin/state or POST a fault");
            return;
        }
        if (path.equals("/admin/agents")) {
            String attributes = new String(exchange.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).strip();
            try {
                reply(exchange, true, attributes.isEmpty() ? master.addAgent()
                        : master.addAgent(DoubleOptions.attributes(attributes)));
            } catch (IllegalArgumentException e) {
                SchedulerHttp.answer(exchange, 400, "text/plain", "body: " + e.getMessage() + "\n");
            }
        } else if (parts.length == 5 && parts[2].equals("agents") && parts[4].equals("lose")) {
            reply(exchange, master.loseAgent(parts[3]), "agent " + parts[3]);
        } else if (parts.length == 5 && parts[2].equals("tasks") && parts[4].equals("fail")) {
            reply(exchange, master.failTask(parts[3]), "task " + parts[3]);
        } else if (path.equals("/admin/offers/rescind")) {
            reply(exchange, true, master.rescindOffers() + " offers rescinded");
        } else if (path.equals("/admin/failover")) {
            reply(exchange, true, master.failover());
        } else if (parts.length == 4 && parts[2].equals("accounts")) {
            try {
                master.addServiceAccount(parts[3], new String(exchange.getRequestBody().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
                reply(exchange, true, "service account " + parts[3] + " registered");
            } catch (IllegalArgumentException e) {
                SchedulerHttp.answer(exchange, 400, "text/plain", "body: " + e.getMessage() + "\n");
            }
        } else if (path.equals("/admin/tokens/revoke")) {
            reply(exchange, true, master.revokeTokens() + " tokens revoked");
        } else if (path.equals("/admin/heartbeats/stop")) {
            master.stopHeartbeats();
            reply(exchange, true, "heartbeats stopped");
        } else {
            SchedulerHttp.answer(exchange, 404, "text/plain", "no such admin call: " + method + " " + path);
        }
    }

    private static void reply(HttpExchange exchange, boolean found, String what) throws IOException {
        if (found) {
            SchedulerHttp.answer(exchange, 200, "text/plain", what + "\n");
        } else {
            SchedulerHttp.answer(exchange, 404, "text/plain", what + " is not known (or not running)\n");
        }
    }
}
