package io.hivemqsuite.extension.security;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.InitializerInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.services.intializer.ClientInitializer;
import io.hivemqsuite.protocol.topic.ControlTopics;

/**
 * Stops control traffic on its way out to an outside client. Permissions cannot: a subscription to {@code #} or
 * {@code +/#} is allowed, and the broker delivers whatever topic matches it. Every PUBLISH to a client passes this
 * interceptor, live messages as well as the retained ones sent when it subscribes.
 */
public class ControlTopicGuard implements ClientInitializer {
    private static final PublishOutboundInterceptor DROP_CONTROL_TRAFFIC = ControlTopicGuard::dropControlTraffic;

    @Override
    public void initialize(@NotNull InitializerInput input, @NotNull ClientContext context) {
        // Runs after authentication, so the internal mark is already set; the suite's clients need no filter.
        if (!InternalClients.isInternal(input.getConnectionInformation())) {
            context.addPublishOutboundInterceptor(DROP_CONTROL_TRAFFIC);
        }
    }

    private static void dropControlTraffic(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        if (ControlTopics.isControlTopic(input.getPublishPacket().getTopic())) {
            output.preventPublishDelivery();
        }
    }
}
