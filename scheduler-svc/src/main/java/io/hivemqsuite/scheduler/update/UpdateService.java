package io.hivemqsuite.scheduler.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemqsuite.protocol.brokerconfig.BrokerConfigCheck;
import io.hivemqsuite.protocol.options.BrokerVersions;
import io.hivemqsuite.protocol.dist.LocalDistribution;
import io.hivemqsuite.protocol.message.ControlJson;
import io.hivemqsuite.protocol.node.PodNames;
import io.hivemqsuite.protocol.options.FieldError;
import io.hivemqsuite.protocol.options.OptionsException;
import io.hivemqsuite.protocol.options.OptionsReader;
import io.hivemqsuite.protocol.options.ServiceOptions;
import io.hivemqsuite.protocol.plan.Plan;
import io.hivemqsuite.protocol.plan.PlanEngine;
import io.hivemqsuite.protocol.plan.Status;
import io.hivemqsuite.scheduler.state.StateStore;
import io.hivemqsuite.scheduler.tls.ServiceCertificates;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code POST /v1/update}: validates new options, diffs them against the running target, refuses what a running
 * service cannot do (nothing is written then), and otherwise stores the record and the new target and puts a new
 * {@code update} plan in place. A dry run answers the same description and changes nothing.
 */
public final class UpdateService {
    private static final Logger LOG = Logger.getLogger(UpdateService.class);
    private static final String RECORD = "update";

    private final StateStore store;
    private final PlanEngine engine;
    private final UpdatePlans plans;
    private final Supplier<ServiceOptions> running;
    private final Consumer<ServiceOptions> retarget;
    private final Object lock;

    public UpdateService(StateStore store, PlanEngine engine, UpdatePlans plans, Supplier<ServiceOptions> running,
                         Consumer<ServiceOptions> retarget, Object lock) {
        this.store = store;
        this.engine = engine;
        this.plans = plans;
        this.running = running;
        this.retarget = retarget;
        this.lock = lock;
    }

    /** The answer of an update request. */
    public record Result(String message, boolean dryRun, List<ConfigDiff.Change> changes,
                         List<UpdateRecord.NodeAction> nodes) {
    }

    /** A refused update that is not the options' fault: another update still runs. */
    public static final class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    /** The stored record of the last update, to rebuild its plan after a restart. */
    public static Optional<UpdateRecord> stored(StateStore store) {
        return store.read(RECORD).map(json -> ControlJson.read(json.getBytes(StandardCharsets.UTF_8),
                UpdateRecord.class));
    }

    public Result request(String body, boolean dryRun) {
        ServiceOptions next = new OptionsReader().read(body);
        synchronized (lock) {
            ServiceOptions current = running.get();
            List<ConfigDiff.Change> changes = ConfigDiff.diff(tree(current), tree(next));
            refuse(current, next, changes);
            ServiceCertificates.validate(next);
            BrokerConfigCheck.check(next, LocalDistribution.fromEnvironment());
            List<UpdateRecord.NodeAction> nodes = nodeActions(current, next, changes);
            if (changes.isEmpty()) {
                return new Result("no change: the options equal the running target", dryRun, changes, nodes);
            }
            if (dryRun) {
                return new Result("dry run: nothing changed", true, changes, nodes);
            }
            Plan plan = engine.plan(UpdatePlans.PLAN).orElse(null);
            if (plan != null && !plan.interrupted()
                    && (plan.status() == Status.IN_PROGRESS || plan.status() == Status.PENDING)) {
                throw new ConflictException("the update plan is still " + plan.status()
                        + ": wait for it to finish, or stop it (plan stop update) before a new update");
            }
            UpdateRecord record = new UpdateRecord(OptionsReader.toJson(current), OptionsReader.toJson(next), changes,
                    nodes, System.currentTimeMillis());
            // The record first: a crash before the target is written leaves the old target and a plan to rebuild.
            store.write(RECORD, json(record));
            store.writeTarget(OptionsReader.toJson(next));
            retarget.accept(next);
            engine.replace(plans.build(record));
            LOG.infof("update accepted: %d changed fields, node actions %s", changes.size(), nodes);
            return new Result(nodes.isEmpty() ? "target updated; no node needs to change"
                    : "target updated; the update plan runs", false, changes, nodes);
        }
    }

    /** Everything a running service cannot do, at once, by field. */
    private static void refuse(ServiceOptions current, ServiceOptions next, List<ConfigDiff.Change> changes) {
        List<FieldError> errors = new ArrayList<>();
        for (ConfigDiff.Change change : changes) {
            if (change.effect() == ConfigDiff.Effect.REFUSED) {
                errors.add(new FieldError(change.field(), "cannot change on an installed service (is " + change.from()
                        + ", requested " + change.to() + "); install a new service instead"));
            }
        }
        // a rollback only where the older broker can read what the newer one wrote
        BrokerVersions.refusal(current.hivemq().version(), next.hivemq().version()).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw new OptionsException(errors);
        }
    }

    static List<UpdateRecord.NodeAction> nodeActions(ServiceOptions current, ServiceOptions next,
                                                     List<ConfigDiff.Change> changes) {
        List<String> restart = changes.stream().filter(c -> c.effect() == ConfigDiff.Effect.RESTART)
                .map(ConfigDiff.Change::field).toList();
        List<String> certificates = changes.stream().filter(c -> c.effect() == ConfigDiff.Effect.CERTIFICATES)
                .map(ConfigDiff.Change::field).toList();
        List<String> users = changes.stream().filter(c -> c.effect() == ConfigDiff.Effect.USERS)
                .map(ConfigDiff.Change::field).toList();
        boolean certificatesToo = !certificates.isEmpty() && next.tlsEnabled();
        if (restart.isEmpty() && !users.isEmpty() && certificatesToo) {
            // one step per node: a relaunch applies both (it renders the new users and installs the new certificate)
            restart = new ArrayList<>(certificates);
            restart.addAll(users);
        }
        List<UpdateRecord.NodeAction> nodes = new ArrayList<>();
        // Leaving nodes first, highest index first: the restarts that follow have fewer nodes to roll.
        for (int i = current.node().count() - 1; i >= next.node().count(); i--) {
            nodes.add(new UpdateRecord.NodeAction(i, PodNames.pod(i), UpdateRecord.Action.DECOMMISSION,
                    List.of("node.count")));
        }
        for (int i = 0; i < Math.min(current.node().count(), next.node().count()); i++) {
            if (!restart.isEmpty()) {
                nodes.add(new UpdateRecord.NodeAction(i, PodNames.pod(i), UpdateRecord.Action.RESTART, restart));
            } else if (certificatesToo) {
                nodes.add(new UpdateRecord.NodeAction(i, PodNames.pod(i), UpdateRecord.Action.CERTIFICATES,
                        certificates));
            } else if (!users.isEmpty()) {
                nodes.add(new UpdateRecord.NodeAction(i, PodNames.pod(i), UpdateRecord.Action.USERS, users));
            }
        }
        for (int i = current.node().count(); i < next.node().count(); i++) {
            nodes.add(new UpdateRecord.NodeAction(i, PodNames.pod(i), UpdateRecord.Action.ADD, List.of("node.count")));
        }
        return nodes;
    }

    private static JsonNode tree(ServiceOptions options) {
        return ControlJson.mapper().valueToTree(options);
    }

    private static String json(Object value) {
        try {
            return ControlJson.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
