package io.hivemqsuite.systemtest;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The nodes are one broker to clients: every MQTT 3.1.1 and 5 behaviour below is observed with its two ends on one
 * node, on two different nodes (straight to the nodes), and through the MQTT VIP with client ids whose home nodes
 * differ. Each feature's observation must be the same in all three placements and equal to what MQTT (and HiveMQ on
 * one node) does; a feature that differs fails under its own name. The table of all features is printed at the end.
 *
 * <p>"End 0" and "end 1" are the two sides of a feature (publisher and subscriber, requester and responder, a
 * client's first and second connection). Across nodes, end 0 is on node 0 and end 1 on node 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeMqttSystemTest {
    private static final String SERVICE = "conform";
    private static final int NODES = 3;
    private static final long WAIT = 5_000;

    enum Placement {
        ONE_NODE("one node"), ACROSS_NODES("across nodes"), VIP("through the VIP");

        final String label;

        Placement(String label) {
            this.label = label;
        }
    }

    private TestCluster cluster;
    private InstalledService service;
    /** Feature -> expected observation and what each placement observed, for the table printed at the end. */
    private final Map<String, Map<Placement, String>> table = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> expectations = Collections.synchronizedMap(new LinkedHashMap<>());

    @BeforeAll
    void install() throws IOException {
        cluster = new TestCluster("hivemq-suite-conform-");
        service = cluster.install(SERVICE, "{\"service\": {\"name\": \"" + SERVICE + "\"}, \"node\": {\"count\": "
                + NODES + ", \"mem\": 512, \"heap\": 128}}");
        for (int i = 0; i < NODES; i++) {
            int node = i;
            Poll.until(Duration.ofSeconds(60), "node " + i + " healthy", () -> service.nodeStatus(node).healthy());
        }
    }

    @AfterAll
    void report() throws IOException {
        StringBuilder out = new StringBuilder("\n| feature | one node | across nodes | through the VIP |\n|---|---|---|---|\n");
        synchronized (table) {
            table.forEach((feature, seen) -> {
                String expected = expectations.get(feature);
                out.append("| ").append(feature);
                for (Placement p : Placement.values()) {
                    String s = seen.get(p);
                    out.append(" | ").append(s == null ? "not run" : s.equals(expected) ? "pass" : "FAIL: " + s);
                }
                out.append(" |\n");
            });
        }
        System.out.println(out);
        cluster.close();
    }

    // ---- the features ------------------------------------------------------------------------------------

    @Test
    void willOnConnectionLossWithItsPropertiesQosAndRetain() {
        feature("will on connection loss", "conn-loss qos=1 retain=false ct=text/plain utf8 rt=presence/replies "
                + "cd=c1 up=[who=dev,n=1]", ends -> {
            String topic = ends.topic("presence");
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.EXACTLY_ONCE, true);
                 TcpRelay relay = ends.relay(0)) {
                Mqtt5BlockingClient dev = ends.viaRelay(relay, ends.id(0));
                Mqtt5ConnectBuilder.Send<?> connect = dev.connectWith();
                connect.willPublish().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("conn-loss"))
                        .contentType("text/plain").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                        .responseTopic("presence/replies").correlationData(bytes("c1"))
                        .userProperties().add("who", "dev").add("n", "1").applyUserProperties()
                        .applyWillPublish().send();
                relay.cut();
                return sub.describeNext(WAIT);
            }
        });
    }

    @Test
    void retainedWillIsStoredEverywhere() {
        feature("retained will", "live=gone / stored=gone qos=0 retain=true", ends -> {
            String topic = ends.topic("status");
            try (Ends.Sub watcher = ends.subscribe(1, topic, MqttQos.AT_MOST_ONCE, false);
                 TcpRelay relay = ends.relay(0)) {
                Mqtt5BlockingClient dev = ends.viaRelay(relay, ends.id(0));
                dev.connectWith().willPublish().topic(topic).payload(bytes("gone")).retain(true).applyWillPublish()
                        .send();
                relay.cut();
                // Once it reached end 1 live, a client that subscribes there afterwards gets it from the store.
                String live = watcher.describeNext(WAIT).split(" ")[0];
                try (Ends.Sub late = ends.subscribe(1, topic, MqttQos.AT_MOST_ONCE, false)) {
                    return "live=" + live + " / stored=" + late.describeNext(WAIT);
                }
            }
        });
    }

    @Test
    void willOnDisconnectWithWillMessage() {
        feature("will on DISCONNECT 0x04", "with-will qos=2 retain=false", ends -> {
            String topic = ends.topic("dww");
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.EXACTLY_ONCE, false)) {
                Mqtt5BlockingClient dev = ends.client(0, ends.id(0));
                dev.connectWith().willPublish().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(bytes("with-will"))
                        .applyWillPublish().send();
                dev.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
                return sub.describeNext(WAIT);
            }
        });
    }

    @Test
    void noWillOnNormalDisconnect() {
        feature("no will on normal DISCONNECT", "nothing", ends -> {
            String topic = ends.topic("normal");
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false)) {
                Mqtt5BlockingClient dev = ends.client(0, ends.id(0));
                dev.connectWith().willPublish().topic(topic).payload(bytes("should-not")).applyWillPublish().send();
                dev.disconnect();
                return sub.describeNext(2000);
            }
        });
    }

    @Test
    void willOnKeepAliveTimeout() {
        feature("will on keep-alive timeout", "silent qos=1 retain=false", ends -> {
            String topic = ends.topic("keepalive");
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false);
                 TcpRelay relay = ends.relay(0)) {
                Mqtt5BlockingClient dev = ends.viaRelay(relay, ends.id(0));
                dev.connectWith().keepAlive(1).willPublish().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("silent")).applyWillPublish().send();
                relay.freeze(); // the broker hears nothing more and gives up after 1.5 keep alives
                return sub.describeNext(WAIT);
            }
        });
    }

    @Test
    void delayedWillArrivesAfterItsDelay() {
        feature("will delay", "late qos=1 retain=false after-delay=true", ends -> {
            String topic = ends.topic("delayed");
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false);
                 TcpRelay relay = ends.relay(0)) {
                Mqtt5BlockingClient dev = ends.viaRelay(relay, ends.id(0));
                dev.connectWith().sessionExpiryInterval(30).willPublish().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("late")).delayInterval(2).applyWillPublish().send();
                long cut = System.nanoTime();
                relay.cut();
                String got = sub.describeNext(WAIT + 2000);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
                return got + " after-delay=" + (waited >= 1800);
            }
        });
    }

    @Test
    void delayedWillIsCancelledByAReconnectOnTheOtherEnd() {
        feature("will delay cancelled by reconnect", "nothing session-present=true", ends -> {
            String topic = ends.topic("cancelled");
            String id = ends.id(0);
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false);
                 TcpRelay relay = ends.relay(0)) {
                Mqtt5BlockingClient dev = ends.viaRelay(relay, id);
                dev.connectWith().sessionExpiryInterval(30).willPublish().topic(topic).payload(bytes("cancel-me"))
                        .delayInterval(3).applyWillPublish().send();
                dev.subscribeWith().topicFilter(ends.topic("own")).send();
                relay.cut();
                Mqtt5BlockingClient back = ends.client(ends.secondEndOf(0), id);
                boolean present = back.connectWith().cleanStart(false).sessionExpiryInterval(30).send()
                        .isSessionPresent();
                String got = sub.describeNext(5000);
                back.disconnect();
                return got + " session-present=" + present;
            }
        });
    }

    @Test
    void clientIdTakeoverClosesTheFirstConnectionWithReason0x8E() {
        feature("client id takeover", "first-closed=SESSION_TAKEN_OVER will=nothing session-present=true "
                + "subscription-kept=moved", ends -> {
            String id = ends.id(0);
            String willTopic = ends.topic("takeover-will");
            String topic = ends.topic("takeover-data");
            CompletableFuture<String> closed = new CompletableFuture<>();
            try (Ends.Sub will = ends.subscribe(1, willTopic, MqttQos.AT_LEAST_ONCE, false)) {
                Mqtt5BlockingClient first = ends.builder(0, id).addDisconnectedListener(ctx -> closed.complete(
                        ctx.getCause() instanceof Mqtt5DisconnectException d
                                ? d.getMqttMessage().getReasonCode().name() : ctx.getCause().toString())).buildBlocking();
                first.connectWith().cleanStart(true).sessionExpiryInterval(60).willPublish().topic(willTopic)
                        .payload(bytes("taken")).delayInterval(5).applyWillPublish().send();
                first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5BlockingClient second = ends.client(ends.secondEndOf(0), id);
                try (Mqtt5BlockingClient.Mqtt5Publishes got = second.publishes(MqttGlobalPublishFilter.ALL)) {
                    boolean present = second.connectWith().cleanStart(false).sessionExpiryInterval(60).send()
                            .isSessionPresent();
                    String reason = closed.get(WAIT, TimeUnit.MILLISECONDS);
                    Mqtt5BlockingClient publisher = ends.connected(0, ends.id(0, "-p"));
                    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("moved")).send();
                    publisher.disconnect();
                    Optional<Mqtt5Publish> m = got.receive(WAIT, TimeUnit.MILLISECONDS);
                    String willSeen = will.describeNext(1000);
                    second.disconnectWith().sessionExpiryInterval(0).send();
                    return "first-closed=" + reason + " will=" + willSeen + " session-present=" + present
                            + " subscription-kept=" + m.map(CrossNodeMqttSystemTest::text).orElse("nothing");
                }
            }
        });
    }

    @Test
    void takeoverPublishesAWillWithoutDelay() {
        feature("client id takeover, will without delay", "first-closed=SESSION_TAKEN_OVER will=bye qos=0 retain=false",
                ends -> {
            String id = ends.id(0);
            String willTopic = ends.topic("takeover-will0");
            CompletableFuture<String> closed = new CompletableFuture<>();
            try (Ends.Sub will = ends.subscribe(1, willTopic, MqttQos.AT_LEAST_ONCE, false)) {
                Mqtt5BlockingClient first = ends.builder(0, id).addDisconnectedListener(ctx -> closed.complete(
                        ctx.getCause() instanceof Mqtt5DisconnectException d
                                ? d.getMqttMessage().getReasonCode().name() : ctx.getCause().toString())).buildBlocking();
                first.connectWith().willPublish().topic(willTopic).payload(bytes("bye")).applyWillPublish().send();
                Mqtt5BlockingClient second = ends.client(ends.secondEndOf(0), id);
                second.connect();
                String reason = closed.get(WAIT, TimeUnit.MILLISECONDS);
                String seen = will.describeNext(WAIT);
                second.disconnect();
                return "first-closed=" + reason + " will=" + seen;
            }
        });
    }

    @Test
    void retainedMessagesAndTheirClearing() {
        feature("retained messages", "kept qos=1 retain=true / cleared=nothing", ends -> {
            String topic = ends.topic("retained");
            try (Ends.Sub watcher = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false)) {
                Mqtt5BlockingClient pub = ends.connected(0, ends.id(0));
                pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("kept")).send();
                watcher.describeNext(WAIT); // reached end 1 live: from now on it is in end 1's store
                String kept;
                try (Ends.Sub late = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false)) {
                    kept = late.describeNext(WAIT);
                }
                pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
                pub.disconnect();
                watcher.describeNext(WAIT); // the clear, live
                try (Ends.Sub late = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false)) {
                    return kept + " / cleared=" + late.describeNext(1000);
                }
            }
        });
    }

    @Test
    void overlappingSubscriptionsWithSubscriptionIdentifiers() {
        feature("overlapping subscriptions", "deliveries=1", ends -> {
            String base = ends.topic("overlap");
            Mqtt5BlockingClient sub = ends.client(1, ends.id(1));
            try (Mqtt5BlockingClient.Mqtt5Publishes got = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.connect();
                sub.subscribeWith().addSubscription().topicFilter(base + "/#").qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription().send();
                sub.subscribeWith().addSubscription().topicFilter(base + "/+").qos(MqttQos.AT_LEAST_ONCE)
                        .applySubscription().send();
                publishOnce(ends, 0, base + "/x", "o");
                List<Mqtt5Publish> all = drain(got, 2000);
                sub.disconnect();
                return "deliveries=" + all.size();
            }
        });
    }

    @Test
    void subscriptionIdentifiersOfOverlappingSubscriptions() {
        // Eclipse Paho here: it exposes the subscription identifiers of a received message.
        feature("subscription identifiers", "deliveries=1 ids=[7, 9]", ends -> {
            String base = ends.topic("subid");
            MqttAsyncClient paho = new MqttAsyncClient(
                    "tcp://" + ends.host(1) + ":1883", ends.id(1),
                    new MemoryPersistence());
            List<List<Integer>> got = new CopyOnWriteArrayList<>();
            paho.setCallback(MessageCallback.onMessage((t, m) -> got.add(m.getProperties().getSubscriptionIdentifiers())));
            paho.connect().waitForCompletion(WAIT);
            for (int[] sub : new int[][]{{7, 0}, {9, 1}}) {
                MqttProperties props =
                        new MqttProperties();
                props.setSubscriptionIdentifier(sub[0]);
                paho.subscribe(new MqttSubscription[]{
                        new MqttSubscription(sub[1] == 0 ? base + "/#" : base + "/+", 1)},
                        null, null, props).waitForCompletion(WAIT);
            }
            publishOnce(ends, 0, base + "/x", "i");
            observeUntil(Duration.ofMillis(WAIT), () -> Integer.toString(got.size()), n -> !n.equals("0"));
            sleep(500);
            paho.disconnect().waitForCompletion(WAIT);
            paho.close();
            List<Integer> ids = new ArrayList<>();
            got.forEach(ids::addAll);
            Collections.sort(ids);
            return "deliveries=" + got.size() + " ids=" + ids;
        });
    }

    @Test
    void sharedSubscriptionGetsEachMessageOnce() {
        feature("shared subscription", "total=30 distinct=30", ends -> {
            String topic = ends.topic("shared");
            List<Mqtt5BlockingClient> members = new ArrayList<>();
            List<Mqtt5BlockingClient.Mqtt5Publishes> inboxes = new ArrayList<>();
            for (int end = 0; end < 2; end++) {
                Mqtt5BlockingClient m = ends.client(end, ends.id(end, "-m"));
                inboxes.add(m.publishes(MqttGlobalPublishFilter.ALL));
                m.connect();
                m.subscribeWith().topicFilter("$share/g/" + topic).qos(MqttQos.AT_LEAST_ONCE).send();
                members.add(m);
            }
            Mqtt5BlockingClient pub = ends.connected(0, ends.id(0, "-p"));
            for (int i = 0; i < 30; i++) {
                pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("s" + i)).send();
            }
            pub.disconnect();
            List<String> got = new ArrayList<>();
            for (Mqtt5BlockingClient.Mqtt5Publishes inbox : inboxes) {
                drain(inbox, 1500).forEach(p -> got.add(text(p)));
                inbox.close();
            }
            members.forEach(Mqtt5BlockingClient::disconnect);
            return "total=" + got.size() + " distinct=" + got.stream().distinct().count();
        });
    }

    @Test
    void noLocalAndRetainAsPublished() {
        feature("subscription options: no local, retain as published, retain handling",
                "own=nothing other=mine / rap=true plain=false / handling2=nothing", ends -> {
            String topic = ends.topic("options");
            Mqtt5BlockingClient a = ends.client(0, ends.id(0));
            Mqtt5BlockingClient b = ends.client(1, ends.id(1));
            try (Mqtt5BlockingClient.Mqtt5Publishes aGot = a.publishes(MqttGlobalPublishFilter.ALL);
                 Mqtt5BlockingClient.Mqtt5Publishes bGot = b.publishes(MqttGlobalPublishFilter.ALL)) {
                a.connect();
                b.connect();
                a.subscribeWith().addSubscription().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).noLocal(true)
                        .applySubscription().send();
                b.subscribeWith().addSubscription().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).noLocal(true)
                        .applySubscription().send();
                a.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("mine")).send();
                String other = bGot.receive(WAIT, TimeUnit.MILLISECONDS).map(CrossNodeMqttSystemTest::text)
                        .orElse("nothing");
                String own = aGot.receive(1000, TimeUnit.MILLISECONDS).map(CrossNodeMqttSystemTest::text)
                        .orElse("nothing");
                // Retain as published: a live retained publish keeps its flag only for the subscription asking.
                String rapTopic = topic + "/rap";
                b.subscribeWith().addSubscription().topicFilter(rapTopic).retainAsPublished(true).applySubscription()
                        .send();
                a.subscribeWith().topicFilter(rapTopic).send();
                Mqtt5BlockingClient pub = ends.connected(0, ends.id(0, "-p"));
                pub.publishWith().topic(rapTopic).retain(true).payload(bytes("r")).send();
                boolean rap = bGot.receive(WAIT, TimeUnit.MILLISECONDS).map(Mqtt5Publish::isRetain).orElse(false);
                boolean plain = aGot.receive(WAIT, TimeUnit.MILLISECONDS).map(Mqtt5Publish::isRetain).orElse(true);
                pub.publishWith().topic(rapTopic).retain(true).payload(new byte[0]).send();
                pub.disconnect();
                drain(aGot, 300);
                drain(bGot, 300);
                // Retain handling 2: no retained message at subscribe time.
                String handled = topic + "/handling";
                Mqtt5BlockingClient keeper = ends.connected(0, ends.id(0, "-k"));
                keeper.publishWith().topic(handled).retain(true).payload(bytes("old")).send();
                Poll.until(Duration.ofMillis(WAIT), "retained reached end 1", () -> {
                    try (Ends.Sub s = ends.subscribe(1, handled, MqttQos.AT_MOST_ONCE, false)) {
                        return !s.describeNext(300).equals("nothing");
                    }
                });
                b.subscribeWith().addSubscription().topicFilter(handled)
                        .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).applySubscription().send();
                String handling = bGot.receive(1000, TimeUnit.MILLISECONDS).map(CrossNodeMqttSystemTest::text)
                        .orElse("nothing");
                keeper.publishWith().topic(handled).retain(true).payload(new byte[0]).send();
                keeper.disconnect();
                a.disconnect();
                b.disconnect();
                return "own=" + own + " other=" + other + " / rap=" + rap + " plain=" + plain
                        + " / handling2=" + handling;
            }
        });
    }

    @Test
    void requestResponseWithNoLocalSubscriptionsOnOneTopic() {
        // The shape of the third-party conformance suite's test: both subscribe with no local, the requester
        // publishes right after the responder's SUBACK.
        feature("request/response", "request=request rt=true cd=334 / response=response cd=334", ends -> {
            String topic = ends.topic("rr");
            Mqtt5BlockingClient requester = ends.client(0, ends.id(0));
            Mqtt5BlockingClient responder = ends.client(1, ends.id(1));
            try (Mqtt5BlockingClient.Mqtt5Publishes aGot = requester.publishes(MqttGlobalPublishFilter.ALL);
                 Mqtt5BlockingClient.Mqtt5Publishes bGot = responder.publishes(MqttGlobalPublishFilter.ALL)) {
                requester.connect();
                responder.connect();
                requester.subscribeWith().addSubscription().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE)
                        .noLocal(true).applySubscription().send();
                responder.subscribeWith().addSubscription().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE)
                        .noLocal(true).applySubscription().send();
                requester.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("request"))
                        .responseTopic(topic).correlationData(bytes("334")).send();
                Optional<Mqtt5Publish> request = bGot.receive(WAIT, TimeUnit.MILLISECONDS);
                if (request.isEmpty()) {
                    return "request=nothing";
                }
                Mqtt5Publish r = request.get();
                responder.publishWith().topic(r.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("response")).correlationData(r.getCorrelationData().orElseThrow()).send();
                Optional<Mqtt5Publish> response = aGot.receive(WAIT, TimeUnit.MILLISECONDS);
                requester.disconnect();
                responder.disconnect();
                return "request=" + text(r) + " rt=" + r.getResponseTopic().map(t -> t.toString().equals(topic)).orElse(false)
                        + " cd=" + r.getCorrelationData().map(CrossNodeMqttSystemTest::text).orElse("-")
                        + " / response=" + response.map(CrossNodeMqttSystemTest::text).orElse("nothing")
                        + " cd=" + response.flatMap(Mqtt5Publish::getCorrelationData)
                        .map(CrossNodeMqttSystemTest::text).orElse("-");
            }
        });
    }

    @Test
    void userPropertiesKeepOrderAndDuplicatesAndPayloadFormatAndContentType() {
        feature("user properties, payload format, content type",
                "p qos=1 retain=false ct=application/json utf8 up=[k=1,k=2,a=b]", ends -> {
            String topic = ends.topic("props");
            try (Ends.Sub sub = ends.subscribe(1, topic, MqttQos.AT_LEAST_ONCE, false)) {
                Mqtt5BlockingClient pub = ends.connected(0, ends.id(0));
                pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("p"))
                        .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                        .userProperties().add("k", "1").add("k", "2").add("a", "b").applyUserProperties().send();
                pub.disconnect();
                return sub.describeNext(WAIT);
            }
        });
    }

    @Test
    void messageExpiryForAnOfflineSession() {
        feature("message expiry", "expired=nothing / kept=long expiry<=60:true", ends -> {
            String topic = ends.topic("expiry");
            String id = ends.id(1);
            Mqtt5BlockingClient sub = ends.client(1, id);
            sub.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            Mqtt5BlockingClient pub = ends.connected(0, ends.id(0));
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("short"))
                    .messageExpiryInterval(1).send();
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("long"))
                    .messageExpiryInterval(60).send();
            pub.disconnect();
            sleep(2500);
            Mqtt5BlockingClient back = ends.client(1, id);
            try (Mqtt5BlockingClient.Mqtt5Publishes got = back.publishes(MqttGlobalPublishFilter.ALL)) {
                back.connectWith().cleanStart(false).sessionExpiryInterval(0).send();
                List<Mqtt5Publish> all = drain(got, 1500);
                back.disconnect();
                String expired = all.stream().anyMatch(p -> text(p).equals("short")) ? "short" : "nothing";
                String kept = all.stream().filter(p -> text(p).equals("long")).findFirst()
                        .map(p -> "long expiry<=60:" + (p.getMessageExpiryInterval().orElse(0) <= 60)).orElse("nothing");
                return "expired=" + expired + " / kept=" + kept;
            }
        });
    }

    @Test
    void flowControlWithASmallReceiveMaximum() {
        feature("flow control (receive maximum 2)", "received=40 in-order=true", ends -> {
            String topic = ends.topic("flow");
            Mqtt5BlockingClient sub = ends.builder(1, ends.id(1)).buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes got = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.connectWith().restrictions().receiveMaximum(2).applyRestrictions().send();
                sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5BlockingClient pub = ends.connected(0, ends.id(0));
                for (int i = 0; i < 40; i++) {
                    pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(Integer.toString(i))).send();
                }
                pub.disconnect();
                List<Mqtt5Publish> all = drain(got, 2000);
                sub.disconnect();
                boolean inOrder = true;
                for (int i = 0; i < all.size(); i++) {
                    inOrder &= text(all.get(i)).equals(Integer.toString(i));
                }
                return "received=" + all.size() + " in-order=" + inOrder;
            }
        });
    }

    @Test
    void topicAliasesOnBothSides() {
        feature("topic aliases", "a/1,a/2,a/1,a/2,a/1,a/2", ends -> {
            String base = ends.topic("alias");
            Mqtt5BlockingClient sub = ends.builder(1, ends.id(1)).buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes got = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.connectWith().restrictions().topicAliasMaximum(5).applyRestrictions().send();
                sub.subscribeWith().topicFilter(base + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5BlockingClient pub = ends.builder(0, ends.id(0)).buildBlocking();
                pub.connectWith().restrictions().sendTopicAliasMaximum(5).applyRestrictions().send();
                for (int i = 0; i < 6; i++) {
                    pub.publishWith().topic(base + "/" + (i % 2 + 1)).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(bytes("a")).send();
                }
                pub.disconnect();
                List<String> topics = new ArrayList<>();
                drain(got, 1500).forEach(p -> topics.add("a/" + p.getTopic().toString().substring(base.length() + 1)));
                sub.disconnect();
                return String.join(",", topics);
            }
        });
    }

    @Test
    void keepAliveKeepsAnIdleClientConnected() {
        feature("keep alive", "connected-after-4s=true", ends -> {
            Mqtt5BlockingClient idle = ends.builder(0, ends.id(0)).buildBlocking();
            idle.connectWith().keepAlive(1).send();
            sleep(4000);
            boolean connected = idle.getState().isConnected();
            idle.disconnect();
            return "connected-after-4s=" + connected;
        });
    }

    @Test
    void sessionExpiryAndSessionPresentAcrossTheEnds() {
        feature("session expiry, session present", "resumed=true queued=q1 / expired-session-present=false",
                ends -> {
            String topic = ends.topic("session");
            String id = ends.id(0);
            Mqtt5BlockingClient first = ends.client(0, id);
            first.connectWith().cleanStart(true).sessionExpiryInterval(3).send();
            first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            first.disconnect();
            publishOnce(ends, 0, topic, "q1");
            Mqtt5BlockingClient back = ends.client(ends.secondEndOf(0), id);
            String queued;
            boolean resumed;
            try (Mqtt5BlockingClient.Mqtt5Publishes got = back.publishes(MqttGlobalPublishFilter.ALL)) {
                resumed = back.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent();
                queued = got.receive(2000, TimeUnit.MILLISECONDS).map(CrossNodeMqttSystemTest::text).orElse("nothing");
                back.disconnect();
            }
            sleep(2500); // past the 1 s expiry the session is gone everywhere
            Mqtt5BlockingClient again = ends.client(0, id);
            boolean present = again.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent();
            again.disconnect();
            return "resumed=" + resumed + " queued=" + queued + " / expired-session-present=" + present;
        });
    }

    @Test
    void mqtt311PublishSubscribeRetainedAndWill() {
        feature("MQTT 3.1.1 publish, retained, will", "live=v3 qos=1 / retained=r3 / will=w3", ends -> {
            String topic = ends.topic("v3");
            Mqtt3BlockingClient sub = ends.client3(1, ends.id(1));
            try (Mqtt3BlockingClient.Mqtt3Publishes got = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.connect();
                sub.subscribeWith().topicFilter(topic + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt3BlockingClient pub = ends.client3(0, ends.id(0));
                pub.connect();
                pub.publishWith().topic(topic + "/live").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("v3")).send();
                Optional<Mqtt3Publish> live = got.receive(WAIT, TimeUnit.MILLISECONDS);
                pub.publishWith().topic(topic + "/kept").retain(true).payload(bytes("r3")).send();
                pub.disconnect();
                got.receive(WAIT, TimeUnit.MILLISECONDS);
                Mqtt3BlockingClient late = ends.client3(1, ends.id(1, "-late"));
                String retained;
                try (Mqtt3BlockingClient.Mqtt3Publishes lateGot = late.publishes(MqttGlobalPublishFilter.ALL)) {
                    late.connect();
                    late.subscribeWith().topicFilter(topic + "/kept").send();
                    retained = lateGot.receive(WAIT, TimeUnit.MILLISECONDS)
                            .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).orElse("nothing");
                    late.publishWith().topic(topic + "/kept").retain(true).payload(new byte[0]).send();
                    late.disconnect();
                }
                String will;
                try (TcpRelay relay = ends.relay(0)) {
                    Mqtt3BlockingClient dev = Mqtt3Client.builder().identifier(ends.id(0, "-w"))
                            .serverHost("127.0.0.1").serverPort(relay.port()).buildBlocking();
                    dev.connectWith().willPublish().topic(topic + "/will").payload(bytes("w3")).applyWillPublish()
                            .send();
                    relay.cut();
                    will = "nothing";
                    Optional<Mqtt3Publish> next;
                    while ((next = got.receive(WAIT, TimeUnit.MILLISECONDS)).isPresent()) {
                        if (next.get().getTopic().toString().endsWith("/will")) {
                            will = new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
                            break;
                        }
                    }
                }
                sub.disconnect();
                return "live=" + live.map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)
                        + " qos=" + p.getQos().getCode()).orElse("nothing") + " / retained=" + retained
                        + " / will=" + will;
            }
        });
    }

    // ---- harness -----------------------------------------------------------------------------------------

    /** Runs one feature in every placement; all must observe {@code expected}. */
    /** What one feature shows in one placement, as a line that is compared across placements. */
    @FunctionalInterface
    interface Observation {
        String observe(Ends ends) throws Exception;
    }

    private void feature(String name, String expected, Observation observe) {
        Map<Placement, String> seen = new EnumMap<>(Placement.class);
        for (Placement p : Placement.values()) {
            String observed;
            try {
                observed = observe.observe(new Ends(p));
            } catch (Exception | AssertionError e) {
                observed = "error: " + e;
            }
            seen.put(p, observed);
        }
        table.put(name, seen);
        expectations.put(name, expected);
        Map<String, String> wrong = new TreeMap<>();
        seen.forEach((p, s) -> {
            if (!s.equals(expected)) {
                wrong.put(p.label, s);
            }
        });
        assertEquals(Map.of(), wrong, name + ": expected \"" + expected + "\" in every placement");
    }

    /** The two ends of a feature in one placement. */
    final class Ends {
        final Placement placement;
        private final String run = UUID.randomUUID().toString().substring(0, 6);

        Ends(Placement placement) {
            this.placement = placement;
        }

        String topic(String name) {
            return "conform/" + placement.name().toLowerCase() + "/" + run + "/" + name;
        }

        String id(int end) {
            return id(end, "");
        }

        /**
         * A client id for an end (and a role there, so one end can have several clients); through the VIP, one whose
         * home is node 0 (end 0) or node 2 (end 1), so the VIP really puts the two ends on different nodes.
         */
        String id(int end, String role) {
            String base = placement.name().toLowerCase() + "-" + run + "-" + end + role;
            if (placement != Placement.VIP) {
                return base;
            }
            int want = end == 0 ? 0 : 2;
            for (int k = 0; ; k++) {
                if (ClusterRoutingSystemTest.home(base + "-" + k) == want) {
                    return base + "-" + k;
                }
            }
        }

        /** The other end's address for a client's second connection. */
        int secondEndOf(int end) {
            return 1 - end;
        }

        String host(int end) {
            return switch (placement) {
                case ONE_NODE -> service.layout().nodeAddress(0);
                case ACROSS_NODES -> service.layout().nodeAddress(end == 0 ? 0 : 2);
                case VIP -> service.layout().vipAddress();
            };
        }

        Mqtt5ClientBuilder builder(int end, String id) {
            return Mqtt5Client.builder().identifier(id).serverHost(host(end)).serverPort(1883);
        }

        Mqtt5BlockingClient client(int end, String id) {
            return builder(end, id).buildBlocking();
        }

        Mqtt5BlockingClient connected(int end, String id) {
            Mqtt5BlockingClient c = client(end, id);
            c.connect();
            return c;
        }

        Mqtt3BlockingClient client3(int end, String id) {
            return Mqtt3Client.builder().identifier(id).serverHost(host(end)).serverPort(1883).buildBlocking();
        }

        TcpRelay relay(int end) throws IOException {
            return new TcpRelay(host(end), 1883);
        }

        Mqtt5BlockingClient viaRelay(TcpRelay relay, String id) {
            return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(relay.port())
                    .buildBlocking();
        }

        Sub subscribe(int end, String filter, MqttQos qos, boolean rap) {
            Mqtt5BlockingClient c = client(end, id(end, "-s" + UUID.randomUUID().toString().substring(0, 4)));
            Mqtt5BlockingClient.Mqtt5Publishes got = c.publishes(MqttGlobalPublishFilter.ALL);
            c.connect();
            c.subscribeWith().addSubscription().topicFilter(filter).qos(qos).retainAsPublished(rap)
                    .applySubscription().send();
            return new Sub(c, got);
        }

        /** A connected subscriber and what it receives. */
        record Sub(Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes got) implements AutoCloseable {
            String describeNext(long millis) {
                try {
                    return got.receive(millis, TimeUnit.MILLISECONDS).map(CrossNodeMqttSystemTest::describe)
                            .orElse("nothing");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }

            @Override
            public void close() {
                got.close();
                if (client.getState().isConnected()) {
                    client.disconnect();
                }
            }
        }
    }

    // ---- small helpers -----------------------------------------------------------------------------------

    private static void publishOnce(Ends ends, int end, String topic, String payload) {
        Mqtt5BlockingClient pub = ends.connected(end, ends.id(end, "-p"));
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(payload)).send();
        pub.disconnect();
    }

    private static List<Mqtt5Publish> drain(Mqtt5BlockingClient.Mqtt5Publishes got, long quietMillis) {
        List<Mqtt5Publish> all = new ArrayList<>();
        try {
            Optional<Mqtt5Publish> next;
            while ((next = got.receive(quietMillis, TimeUnit.MILLISECONDS)).isPresent()) {
                all.add(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all;
    }

    /** The last observation of {@code probe}, taken until it satisfies {@code done} or the time is up. */
    private static String observeUntil(Duration timeout, Callable<String> probe,
                                       Predicate<String> done) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String last = probe.call();
        while (!done.test(last) && System.nanoTime() < end) {
            sleep(200);
            last = probe.call();
        }
        return last;
    }

    static String describe(Mqtt5Publish p) {
        StringBuilder s = new StringBuilder(text(p)).append(" qos=").append(p.getQos().getCode())
                .append(" retain=").append(p.isRetain());
        p.getContentType().ifPresent(c -> s.append(" ct=").append(c));
        p.getPayloadFormatIndicator().ifPresent(f -> s.append(f == Mqtt5PayloadFormatIndicator.UTF_8 ? " utf8" : ""));
        p.getResponseTopic().ifPresent(t -> s.append(" rt=").append(t));
        p.getCorrelationData().ifPresent(c -> s.append(" cd=").append(StandardCharsets.UTF_8.decode(c)));
        if (!p.getUserProperties().asList().isEmpty()) {
            List<String> up = new ArrayList<>();
            p.getUserProperties().asList().forEach(u -> up.add(u.getName() + "=" + u.getValue()));
            s.append(" up=[").append(String.join(",", up)).append(']');
        }
        return s.toString();
    }

    static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    static String text(java.nio.ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
