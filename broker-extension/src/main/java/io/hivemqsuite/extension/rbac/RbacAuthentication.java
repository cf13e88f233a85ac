package io.hivemqsuite.extension.rbac;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hivemqsuite.protocol.rbac.Permission;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CONNECT check of HiveMQ's File RBAC extension, on the users of a {@link UserStore}: the same refusals with
 * the same CONNACK codes, and on success the user's role permissions as ALLOW default permissions with DENY as
 * the default behaviour, so the broker itself refuses a subscription (SUBACK) or a publish outside the roles
 * exactly as with that extension.
 */
public final class RbacAuthentication {

    /** Either a refusal (code and reason) or the permissions of an admitted client. */
    public record Decision(ConnackReasonCode refusal, String reason, List<TopicPermission> permissions) {
        static Decision refuse(ConnackReasonCode code, String reason) {
            return new Decision(code, reason, List.of());
        }

        public boolean admitted() {
            return refusal == null;
        }
    }

    private final UserStore store;

    public RbacAuthentication(@NotNull UserStore store) {
        this.store = store;
    }

    public Decision decide(Optional<String> userName, Optional<byte[]> password, String clientId,
                           Optional<String> listenerName) {
        UserStore.Users users = store.current();
        if (!users.config().listenerNames().isEmpty() && listenerName.isPresent()
                && !users.config().listenerNames().contains(listenerName.get())) {
            // the extension leaves other listeners to the next authenticator; there is none, so they are refused
            return Decision.refuse(ConnackReasonCode.NOT_AUTHORIZED, "this listener admits no users");
        }
        if (userName.isEmpty() || password.isEmpty()) {
            return Decision.refuse(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "Authentication failed because username or password are missing");
        }
        // a '#' or '+' would turn a ${{clientid}} / ${{username}} permission into a wildcard
        if (clientId.contains("#") || clientId.contains("+")) {
            return Decision.refuse(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "The characters '#' and '+' are not allowed in the client identifier");
        }
        if (userName.get().contains("#") || userName.get().contains("+")) {
            return Decision.refuse(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "The characters '#' and '+' are not allowed in the username");
        }
        Optional<List<String>> roles = users.credentials().flatMap(
                c -> c.authenticate(userName.get(), password.get(), users.config().passwordType()));
        if (roles.isEmpty() || roles.get().isEmpty()) {
            return Decision.refuse(ConnackReasonCode.NOT_AUTHORIZED,
                    "Authentication failed because of invalid credentials");
        }
        List<TopicPermission> permissions = new ArrayList<>();
        for (Permission p : users.credentials().get().permissions(roles.get(), clientId, userName.get())) {
            try {
                permissions.add(permission(p));
            } catch (IllegalArgumentException e) {
                // the SDK refuses a malformed filter (e.g. "a/#/b"); the extension's CONNECT fails on it as well
                return Decision.refuse(ConnackReasonCode.NOT_AUTHORIZED,
                        "a permission of this user's roles is invalid: " + e.getMessage());
            }
        }
        return new Decision(null, null, permissions);
    }

    private static TopicPermission permission(Permission p) {
        return Builders.topicPermission()
                .topicFilter(p.topic())
                .type(TopicPermission.PermissionType.ALLOW)
                .activity(TopicPermission.MqttActivity.valueOf(p.activity().name()))
                .qos(TopicPermission.Qos.valueOf(p.qos().name()))
                .retain(TopicPermission.Retain.valueOf(p.retain().name()))
                .sharedSubscription(TopicPermission.SharedSubscription.valueOf(p.shared().name()))
                .sharedGroup(p.sharedGroup())
                .build();
    }
}
