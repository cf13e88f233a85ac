package io.hivemqsuite.servicekit.api;

import io.restassured.RestAssured;
import io.restassured.builder.ResponseBuilder;
import io.restassured.response.Response;
import org.junit.jupiter.params.provider.Arguments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the services' bad-input tests share: a table row (name, request, expected status, what the answer must name),
 * the check of one answer, and a request with a body over the services' limit.
 */
public final class BadInput {
    private BadInput() {
    }

    /** One request of a bad-input table. */
    @FunctionalInterface
    public interface Request {
        Response send();
    }

    /** A row: {@code name}, {@code request}, the expected {@code status}, text the answer must contain. */
    public static Arguments bad(String name, Request request, int status, String names) {
        return Arguments.of(name, request, status, names);
    }

    /** The answer has the status and names the problem; a 400 also names the field at fault. */
    public static void assertRefused(String name, Response response, int status, String names) {
        assertEquals(status, response.statusCode(), name + ": " + response.asString());
        assertTrue(response.asString().contains(names), name + " names " + names + ": " + response.asString());
        if (status == 400) {
            assertTrue(response.asString().contains("\"field\""), name + " names the field: " + response.asString());
        }
    }

    /**
     * A request whose declared body is over the limit, sent by hand: the service answers 413 as soon as it has read the
     * headers and closes the connection, which an HTTP client still writing the body sees as a broken pipe.
     */
    public static Response hugeBody(String method, String path, String token) {
        try (Socket socket = new Socket(URI.create(RestAssured.baseURI).getHost(), RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (11 * 1024 * 1024) + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            int code = Integer.parseInt(status.split(" ")[1]);
            return new ResponseBuilder().setStatusCode(code).setStatusLine(status)
                    .setBody("{\"message\": \"" + status + "\"}").setContentType("application/json").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
