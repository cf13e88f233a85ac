package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.general.Qos;

/**
 * Whether the broker will accept a client's publish under its default permissions, decided the way HiveMQ CE
 * 2025.5 does it ({@code DefaultPermissionsEvaluator.checkPublish}, read in its bytecode): the first permission
 * that covers the publish (activity, QoS, retain flag, topic; trailing slashes ignored on both sides) decides by
 * its type, none covering it means the default behaviour.
 *
 * <p>Needed because inbound interceptors run before the broker's authorization: without this check the router
 * would forward a publish that the users and roles refuse here, and a peer would deliver it.
 */
final class PublishPermissions {
    private PublishPermissions() {
    }

    static boolean allows(ModifiableDefaultPermissions permissions, String topic, Qos qos, boolean retain) {
        String plainTopic = topic.length() > 1 ? stripTrailingSlashes(topic) : topic;
        for (TopicPermission p : permissions.asList()) {
            if (covers(p, plainTopic, qos, retain)) {
                return p.getType() == TopicPermission.PermissionType.ALLOW;
            }
        }
        return permissions.getDefaultBehaviour() == DefaultAuthorizationBehaviour.ALLOW;
    }

    private static boolean covers(TopicPermission p, String topic, Qos qos, boolean retain) {
        if (p.getActivity() == TopicPermission.MqttActivity.SUBSCRIBE) {
            return false;
        }
        if (retain ? p.getPublishRetain() == TopicPermission.Retain.NOT_RETAINED
                : p.getPublishRetain() == TopicPermission.Retain.RETAINED) {
            return false;
        }
        if (!qosCovered(p.getQos(), qos)) {
            return false;
        }
        return TopicFilters.matches(stripTrailingSlashes(p.getTopicFilter()), topic);
    }

    private static boolean qosCovered(TopicPermission.Qos allowed, Qos qos) {
        return switch (allowed) {
            case ALL -> true;
            case ZERO -> qos == Qos.AT_MOST_ONCE;
            case ONE -> qos == Qos.AT_LEAST_ONCE;
            case TWO -> qos == Qos.EXACTLY_ONCE;
            case ZERO_ONE -> qos != Qos.EXACTLY_ONCE;
            case ONE_TWO -> qos != Qos.AT_MOST_ONCE;
            case ZERO_TWO -> qos != Qos.AT_LEAST_ONCE;
        };
    }

    private static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }
}
