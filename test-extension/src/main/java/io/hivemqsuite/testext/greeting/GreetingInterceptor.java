package io.hivemqsuite.testext.greeting;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;

/** Marks each incoming PUBLISH with the greeting, which every subscriber then receives. */
final class GreetingInterceptor implements PublishInboundInterceptor {
    private final String greeting;

    GreetingInterceptor(String greeting) {
        this.greeting = greeting;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        output.getPublishPacket().getUserProperties().addUserProperty(GreetingExtension.PROPERTY, greeting);
    }
}
