package io.hivemqsuite.extension.security;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hivemqsuite.extension.rbac.RbacAuthentication;
import io.hivemqsuite.protocol.security.ExtensionSettings;
import io.hivemqsuite.protocol.security.InternalCredential;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Decides at CONNECT who is the suite and who is not. The suite's clients prove themselves with the internal
 * credential and may use every topic. With users and roles on ({@code rbac.enabled}), everyone else must be a
 * user of the credentials file and gets their roles' permissions, never the control prefix (not even with a
 * {@code #} permission); otherwise everyone else (admitted only in evaluation mode) may use every topic but the
 * control prefix.
 *
 * <p>Topic permissions are matched against a subscription's filter, not against the topics it later receives,
 * so the DENY below stops {@code hivemq-suite/#} but not {@code #}; {@link ControlTopicGuard} closes that gap.
 */
public class SuiteAuthenticator implements SimpleAuthenticator {
    private final ExtensionSettings settings;
    private final OutsideClientLimits limits;
    private final RbacAuthentication users;

    public SuiteAuthenticator(@NotNull ExtensionSettings settings) {
        this(settings, new OutsideClientLimits(io.hivemqsuite.protocol.security.ClientLimits.NONE), null);
    }

    /** @param users the user check when {@code settings.rbacEnabled()}; null otherwise */
    public SuiteAuthenticator(@NotNull ExtensionSettings settings, @NotNull OutsideClientLimits limits,
                              RbacAuthentication users) {
        this.settings = settings;
        this.limits = limits;
        this.users = users;
        if (settings.rbacEnabled() && users == null) {
            throw new IllegalArgumentException("users and roles are on but no user store was given");
        }
    }

    @Override
    public void onConnect(@NotNull SimpleAuthInput input, @NotNull SimpleAuthOutput output) {
        Optional<String> userName = input.getConnectPacket().getUserName();
        if (userName.isPresent() && userName.get().equals(InternalCredential.USERNAME)) {
            authenticateInternal(input, output);
        } else if (limits.refuse(input, output)) {
            return;
        } else if (settings.rbacEnabled()) {
            authenticateUser(input, output);
        } else if (settings.anonymousAllowed()) {
            // Evaluation mode admits anyone, with or without credentials: there is no user store to check them against.
            ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
            permissions.add(deny(ControlTopics.ALL));
            permissions.add(deny(ControlTopics.PREFIX));
            permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
            output.authenticateSuccessfully();
        } else {
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "anonymous clients are not allowed");
        }
    }

    /**
     * Whether {@link #onConnect} will admit this CONNECT (the internal user: always true here, its secret is checked
     * there). For the router, whose connect interceptor runs before authentication.
     */
    public boolean admits(@NotNull ConnectInboundInput input) {
        ConnectPacket connect = input.getConnectPacket();
        if (connect.getUserName().map(InternalCredential.USERNAME::equals).orElse(false)) {
            return true;
        }
        if (!limits.admits(input.getClientInformation().getClientId())) {
            return false;
        }
        if (settings.rbacEnabled()) {
            return decide(connect, input.getClientInformation().getClientId(),
                    input.getConnectionInformation().getListener().map(Listener::getName)).admitted();
        }
        return settings.anonymousAllowed();
    }

    private RbacAuthentication.Decision decide(ConnectPacket connect, String clientId, Optional<String> listener) {
        return users.decide(connect.getUserName(), connect.getPassword().map(SuiteAuthenticator::bytes), clientId,
                listener);
    }

    private void authenticateUser(SimpleAuthInput input, SimpleAuthOutput output) {
        RbacAuthentication.Decision decision = decide(input.getConnectPacket(),
                input.getClientInformation().getClientId(),
                input.getConnectionInformation().getListener().map(Listener::getName));
        if (!decision.admitted()) {
            output.failAuthentication(decision.refusal(), decision.reason());
            return;
        }
        ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
        // First match decides: the control prefix is closed before any role permission, a superuser's "#" included.
        permissions.add(deny(ControlTopics.ALL));
        permissions.add(deny(ControlTopics.PREFIX));
        permissions.addAll(decision.permissions());
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private void authenticateInternal(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<ByteBuffer> password = input.getConnectPacket().getPassword();
        if (password.isEmpty() || !InternalCredential.matches(bytes(password.get()), settings.internalCredentialSha256())) {
            // Never fall through to anonymous access: someone trying the internal name with a wrong secret is refused.
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED,
                    "wrong credential for " + InternalCredential.USERNAME);
            return;
        }
        InternalClients.mark(input.getConnectionInformation());
        output.getDefaultPermissions().add(Builders.topicPermission()
                .topicFilter("#")
                .type(TopicPermission.PermissionType.ALLOW)
                .build());
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
        output.authenticateSuccessfully();
    }

    private static TopicPermission deny(String topicFilter) {
        // Covers publish, subscribe, every QoS, retained or not, and shared subscriptions on the filter.
        return Builders.topicPermission()
                .topicFilter(topicFilter)
                .type(TopicPermission.PermissionType.DENY)
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        // The broker shares the buffer: read a copy so its position stays where the broker left it.
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
