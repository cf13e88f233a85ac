package io.hivemqsuite.scheduler.update;

import java.util.List;

/**
 * The last accepted update, stored under {@code update} in the state store before the new target is written, so a
 * restarted scheduler rebuilds the same {@code update} plan and resumes it.
 *
 * @param from      the target before (completed options JSON)
 * @param to        the new target
 * @param changes   the changed fields
 * @param nodes     what happens to each node, in plan order
 * @param createdAt epoch milliseconds
 */
public record UpdateRecord(String from, String to, List<ConfigDiff.Change> changes, List<NodeAction> nodes,
                           long createdAt) {

    public enum Action {
        /** drain, relaunch with the new spec, wait for every listener, undrain */
        RESTART,
        /** reissue the certificate and let the broker reload its keystore */
        CERTIFICATES,
        /** push the new users and roles to the running agent (PUT /v1/node/rbac); the broker keeps running */
        USERS,
        /** a new node (node.count grew) */
        ADD,
        /** a node beyond the new node.count leaves: drain, hand over sessions, stop, release its folder */
        DECOMMISSION
    }

    /** @param reasons the fields that cause the action */
    public record NodeAction(int index, String pod, Action action, List<String> reasons) {
    }
}
