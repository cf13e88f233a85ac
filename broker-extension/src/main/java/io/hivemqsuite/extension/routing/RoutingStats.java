package io.hivemqsuite.extension.routing;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.hivemqsuite.protocol.topic.ControlTopics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The router's counters, published retained on {@code hivemq-suite/<svc>/nodes/<i>/routing} whenever they change.
 * The node agent reads them with control-protocol's {@code RoutingCounters}: the JSON written here and that record
 * are one contract (RoutingCountersContractTest). Written by hand because the extension carries no JSON library.
 */
final class RoutingStats {
    private static final Logger LOG = Logger.getLogger(RoutingStats.class.getName());

    private final String topic;
    private final int self;
    private final boolean digestOn;
    private final SubscriptionDigest digest;
    private final Intake intake;
    private final SharedGroups shared;
    private final OriginJournal journal;
    private final Map<Integer, PeerLink> links;
    private volatile String last = "";

    RoutingStats(String service, int self, boolean digestOn, SubscriptionDigest digest, Intake intake,
                 SharedGroups shared, OriginJournal journal, Map<Integer, PeerLink> links) {
        this.topic = ControlTopics.routing(service, self);
        this.self = self;
        this.digestOn = digestOn;
        this.digest = digest;
        this.intake = intake;
        this.shared = shared;
        this.journal = journal;
        this.links = links;
    }

    String json() {
        StringBuilder json = new StringBuilder();
        json.append("{\"node\":").append(self)
                .append(",\"digest\":").append(digestOn)
                .append(",\"localFilters\":").append(digest.size())
                .append(",\"received\":").append(intake.received.get())
                .append(",\"intakeFailures\":").append(intake.failures.get())
                .append(",\"catchUpStored\":").append(intake.catchUpStored.get())
                .append(",\"staleRetained\":").append(intake.staleRetained.get())
                .append(",\"sharedSuppressed\":").append(shared.suppressed.get())
                .append(",\"journalOwed\":").append(journal.owed())
                .append(",\"journalFailures\":").append(journal.failures())
                .append(",\"peers\":{");
        boolean first = true;
        for (PeerLink link : new TreeMap<>(links).values()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append('"').append(link.peer).append("\":{\"connected\":").append(link.up())
                    .append(",\"digestFilters\":").append(link.digestSize())
                    .append(",\"enqueued\":").append(link.queue.enqueued.get())
                    .append(",\"sent\":").append(link.sent.get())
                    .append(",\"queued\":").append(link.queue.size())
                    .append(",\"queuedBytes\":").append(link.queue.bytes())
                    .append(",\"dropped\":").append(link.queue.dropped.get())
                    .append(",\"expired\":").append(link.expired.get())
                    .append(",\"skippedByDigest\":").append(link.skippedByDigest.get())
                    .append('}');
        }
        return json.append("}}").toString();
    }

    /** Every 500 ms: only a change is published, so an idle node sends nothing. */
    void publishIfChanged() {
        try {
            String json = json();
            if (json.equals(last)) {
                return;
            }
            last = json;
            Services.publishService().publish(Builders.publish()
                    .topic(topic)
                    .qos(Qos.AT_MOST_ONCE)
                    .retain(true)
                    .contentType("application/json")
                    .payload(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                    .build());
        } catch (RuntimeException e) {
            LOG.fine("cannot publish routing counters: " + e);
        }
    }
}
