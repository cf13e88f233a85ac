package io.hivemqsuite.testext.greeting;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds the user property {@code greeting} to every PUBLISH it receives, so a subscriber sees whether the extension
 * runs on a node. The value is {@value #DEFAULT_GREETING} unless {@code conf/greeting.txt} in the extension's folder
 * says otherwise: that makes add-config observable. A greeting of {@value #FAIL} makes the start fail on purpose,
 * which HiveMQ answers by disabling the extension: how tests get a broken extension without a second build.
 */
public class GreetingExtension implements ExtensionMain {
    public static final String PROPERTY = "greeting";
    public static final String DEFAULT_GREETING = "hello";
    public static final String FAIL = "FAIL";

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        String greeting = readGreeting(input.getExtensionInformation().getExtensionHomeFolder());
        if (FAIL.equals(greeting)) {
            throw new IllegalStateException("conf/greeting.txt asks this extension to fail its start");
        }
        GreetingInterceptor interceptor = new GreetingInterceptor(greeting);
        Services.initializerRegistry().setClientInitializer(
                (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(interceptor));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    }

    static String readGreeting(File home) {
        Path file = home.toPath().resolve("conf").resolve("greeting.txt");
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : DEFAULT_GREETING;
        } catch (IOException e) {
            return DEFAULT_GREETING;
        }
    }
}
