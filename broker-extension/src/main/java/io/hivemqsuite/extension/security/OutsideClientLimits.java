package io.hivemqsuite.extension.security;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.InitializerInput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.subscribe.ModifiableSubscription;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import io.hivemqsuite.protocol.security.ClientLimits;

import java.nio.charset.StandardCharsets;

/**
 * {@link ClientLimits} on outside clients only: an identifier over {@code max_client_id_length} is refused at
 * CONNECT as the broker would refuse it, with retained messages off the retain flag of their publishes is
 * dropped, and their subscriptions are granted at most {@code max_qos}. The suite's own clients keep their long identifiers and retained status messages.
 */
public final class OutsideClientLimits {
    private final ClientLimits limits;
    private final PublishInboundInterceptor dropRetain = (input, output) -> output.getPublishPacket().setRetain(false);
    private final SubscribeInboundInterceptor capQos = this::capQos;

    public OutsideClientLimits(@NotNull ClientLimits limits) {
        this.limits = limits;
    }

    /** Whether {@link #refuse} lets this client identifier through (for the router, before authentication). */
    boolean admits(@NotNull String clientId) {
        return clientId.getBytes(StandardCharsets.UTF_8).length <= limits.maxClientIdLength();
    }

    /** @return true when the CONNECT was refused (the authenticator must not decide again) */
    boolean refuse(@NotNull SimpleAuthInput input, @NotNull SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        int length = clientId.getBytes(StandardCharsets.UTF_8).length;
        if (!admits(clientId)) {
            output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client identifier of " + length
                    + " bytes is longer than the " + limits.maxClientIdLength() + " allowed");
            return true;
        }
        return false;
    }

    /** Runs after authentication, so the internal mark is set. */
    public void initialize(@NotNull InitializerInput input, @NotNull ClientContext context) {
        if (InternalClients.isInternal(input.getConnectionInformation())) {
            return;
        }
        if (!limits.retainedMessagesEnabled()) {
            context.addPublishInboundInterceptor(dropRetain);
        }
        if (limits.maxQos() < 2) {
            context.addSubscribeInboundInterceptor(capQos);
        }
    }

    private void capQos(@NotNull SubscribeInboundInput input, @NotNull SubscribeInboundOutput output) {
        for (ModifiableSubscription subscription : output.getSubscribePacket().getSubscriptions()) {
            if (subscription.getQos().getQosNumber() > limits.maxQos()) {
                subscription.setQos(Qos.valueOf(limits.maxQos()));
            }
        }
    }
}
