package io.hivemqsuite.mesosdouble;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/v1/scheduler} with the answers of the real master: 307 to the leader from a non-leading
 * master (a scheme-relative {@code Location}, as Mesos writes it), 415 for a body that is not protobuf, 400 for a
 * malformed call or a wrong {@code Mesos-Stream-Id}, 403 for a framework that is not subscribed, 202 for an
 * accepted call and a 200 RecordIO stream for SUBSCRIBE. With a service account registered, 401 for a call without
 * a valid login token and 403 for a SUBSCRIBE whose principal is not the logged-in account.
 */
final class SchedulerHttp implements HttpHandler {
    static final String PROTOBUF = "application/x-protobuf";

    private final MesosMasterDouble master;
    private final HttpServer server;

    SchedulerHttp(MesosMasterDouble master, HttpServer server) {
        this.master = master;
        this.server = server;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Allow", "POST");
            answer(exchange, 405, "text/plain", "Expecting 'POST', received '" + exchange.getRequestMethod() + "'");
            return;
        }
        if (!master.isLeader(server)) {
            exchange.getResponseHeaders().add("Location", "//" + master.leaderHostPort() + "/api/v1/scheduler");
            answer(exchange, 307, "text/plain", "");
            return;
        }
        java.util.Optional<String> principal;
        try {
            principal = master.accounts().authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        } catch (IllegalArgumentException e) {
            master.refuse("scheduler call: HTTP 401 " + e.getMessage());
            answer(exchange, 401, "text/plain", e.getMessage());
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith(PROTOBUF)) {
            answer(exchange, 415, "text/plain", "Expecting 'Content-Type' of " + PROTOBUF
                    + " (the double speaks protobuf only), got '" + contentType + "'");
            return;
        }
        Call call;
        try {
            call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
        } catch (InvalidProtocolBufferException e) {
            answer(exchange, 400, "text/plain", "Failed to parse body into Call protobuf: " + e.getMessage());
            return;
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            String claimed = call.getSubscribe().getFrameworkInfo().getPrincipal();
            if (principal.isPresent() && !principal.get().equals(claimed)) {
                String why = "Framework principal '" + claimed + "' does not match authenticated principal '"
                        + principal.get() + "'";
                master.refuse("SUBSCRIBE: HTTP 403 " + why);
                answer(exchange, 403, "text/plain", why);
                return;
            }
            subscribe(exchange, call);
            return;
        }
        Object caller = master.caller(call, exchange.getRequestHeaders().getFirst("Mesos-Stream-Id"));
        if (caller instanceof String error) {
            int colon = error.indexOf(':');
            master.refuse(call.getType() + ": HTTP " + error.substring(0, colon) + " " + error.substring(colon + 1));
            answer(exchange, Integer.parseInt(error.substring(0, colon)), "text/plain", error.substring(colon + 1));
            return;
        }
        master.waitWhileHeld(call.getType());
        master.handle((Framework) caller, call);
        answer(exchange, 202, "text/plain", "");
    }

    private void subscribe(HttpExchange exchange, Call call) throws IOException {
        if (!call.hasSubscribe()) {
            answer(exchange, 400, "text/plain", "Expecting 'subscribe' to be present");
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && !accept.contains(PROTOBUF) && !accept.contains("*/*")) {
            answer(exchange, 406, "text/plain", "Expecting 'Accept' to allow " + PROTOBUF);
            return;
        }
        MesosMasterDouble.Subscription subscription = master.subscribe(call, exchange);
        if (subscription.errorStatus() != 0) {
            master.refuse("SUBSCRIBE: " + subscription.error());
            answer(exchange, subscription.errorStatus(), "text/plain", subscription.error());
            return;
        }
        if (subscription.framework() == null) {
            // a torn-down framework: one ERROR event, then the stream ends
            master.refuse("SUBSCRIBE: " + subscription.error());
            exchange.getResponseHeaders().add("Content-Type", PROTOBUF);
            exchange.getResponseHeaders().add("Mesos-Stream-Id", subscription.stream().streamId);
            exchange.sendResponseHeaders(200, 0);
            subscription.stream().send(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage(subscription.error())).build());
            subscription.stream().close();
        }
        // else the exchange stays open: the master writes the stream until it or the scheduler closes it
    }

    static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
