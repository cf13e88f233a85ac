package io.hivemqsuite.protocol.rbac;

/**
 * One {@code <permission>} of a role, in the File RBAC extension's terms. Every restriction a file leaves out
 * means "any" ({@code ALL}, shared group {@code #}), as in that extension. The enums carry the names of the
 * extension SDK's {@code TopicPermission} enums, so the broker extension maps them by name; this module cannot
 * depend on the SDK.
 *
 * @param topic       topic filter, possibly with {@code ${{clientid}}} / {@code ${{username}}} (see {@link TopicSubstitution})
 * @param activity    PUBLISH, SUBSCRIBE or ALL
 * @param qos         the QoS levels allowed
 * @param retain      whether retained, not retained or both kinds of publish are allowed
 * @param shared      whether shared, plain or both kinds of subscription are allowed
 * @param sharedGroup the shared subscription group allowed ({@code #}: any)
 */
public record Permission(String topic, Activity activity, Qos qos, Retain retain, SharedSubscription shared,
                         String sharedGroup) {

    public enum Activity { PUBLISH, SUBSCRIBE, ALL }

    public enum Qos { ZERO, ONE, TWO, ZERO_ONE, ONE_TWO, ZERO_TWO, ALL }

    public enum Retain { RETAINED, NOT_RETAINED, ALL }

    public enum SharedSubscription { SHARED, NOT_SHARED, ALL }
}
