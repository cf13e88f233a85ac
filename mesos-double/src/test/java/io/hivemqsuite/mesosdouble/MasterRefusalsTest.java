package io.hivemqsuite.mesosdouble;

import io.hivemqsuite.mesosdouble.resources.Resources;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The double refuses what the Mesos master refuses, over the wire, with a bare protobuf client. */
class MasterRefusalsTest {
    private static final String PROTOBUF = "application/x-protobuf";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private MesosMasterDouble master;
    private InputStream stream;
    private String streamId;
    private Event subscribed;

    @BeforeEach
    void subscribe() throws Exception {
        master = MesosMasterDouble.start(DoubleOptions.of(1, work).withAgentNetwork("127.0.244"));
        Call call = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("nobody").setName("t").setRole("t-role")
                        .setPrincipal("p"))).build();
        HttpResponse<InputStream> response = http.send(post(master.url(), call, null), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        streamId = response.headers().firstValue("Mesos-Stream-Id").orElseThrow();
        stream = response.body();
        subscribed = next(Event.Type.SUBSCRIBED);
    }

    @AfterEach
    void stop() throws IOException {
        stream.close();
        master.close();
    }

    private static HttpRequest post(String url, Call call, String streamId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v1/scheduler"))
                .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
        if (streamId != null) {
            b.header("Mesos-Stream-Id", streamId);
        }
        return b.build();
    }

    private int send(Call.Builder call, String id) throws Exception {
        return http.send(post(master.url(), call.setFrameworkId(subscribed.getSubscribed().getFrameworkId()).build(), id),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private Event next(Event.Type type) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        while (true) {
            StringBuilder length = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                length.append((char) b);
            }
            byte[] body = new byte[Integer.parseInt(length.toString())];
            in.readFully(body);
            Event event = Event.parseFrom(body);
            if (event.getType() == type) {
                return event;
            }
        }
    }

    @Test
    void aCallWithoutOrWithAWrongStreamIdIsRefusedWith400() throws Exception {
        assertEquals(400, send(Call.newBuilder().setType(Call.Type.REVIVE), null));
        assertEquals(400, send(Call.newBuilder().setType(Call.Type.REVIVE), "not-the-stream"));
        assertEquals(202, send(Call.newBuilder().setType(Call.Type.REVIVE), streamId));
        assertEquals(2, master.refusals().size(), master.refusals().toString());
    }

    @Test
    void launchingOnAnUnknownOfferIsDroppedAsTaskLostWithInvalidOffers() throws Exception {
        Offer offer = next(Event.Type.OFFERS).getOffers().getOffers(0);
        Call.Builder accept = Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(OfferID.newBuilder().setValue("no-such-offer"))
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
                        .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder()
                                .setExecutor(org.apache.mesos.v1.Protos.ExecutorInfo.newBuilder()
                                        .setType(org.apache.mesos.v1.Protos.ExecutorInfo.Type.DEFAULT)
                                        .setExecutorId(org.apache.mesos.v1.Protos.ExecutorID.newBuilder().setValue("e"))
                                        .setFrameworkId(subscribed.getSubscribed().getFrameworkId()))
                                .setTaskGroup(org.apache.mesos.v1.Protos.TaskGroupInfo.newBuilder().addTasks(
                                        org.apache.mesos.v1.Protos.TaskInfo.newBuilder().setName("x")
                                                .setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("x1"))
                                                .setAgentId(offer.getAgentId())
                                                .setCommand(org.apache.mesos.v1.Protos.CommandInfo.newBuilder().setValue("sleep 1")))))));
        assertEquals(202, send(accept, streamId));
        TaskStatus status = next(Event.Type.UPDATE).getUpdate().getStatus();
        assertEquals(TaskState.TASK_LOST, status.getState());
        assertEquals(TaskStatus.Reason.REASON_INVALID_OFFERS, status.getReason());
        assertEquals(List.of(), master.tasks());
    }

    @Test
    void aVolumeOnUnreservedDiskAndResourcesNotInTheOfferAreRefusedAndChangeNothing() throws Exception {
        Offer offer = next(Event.Type.OFFERS).getOffers().getOffers(0);
        Resource volume = Resources.scalar("disk", 100).toBuilder().setDisk(Resource.DiskInfo.newBuilder()
                .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId("v1").setPrincipal("p"))
                .setVolume(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath("data")
                        .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW))).build();
        Resource tooMuch = Resources.scalar("cpus", 999).toBuilder().addReservations(Resource.ReservationInfo.newBuilder()
                .setType(Resource.ReservationInfo.Type.DYNAMIC).setRole("t-role").setPrincipal("p")).build();
        Call.Builder accept = Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(offer.getId())
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.CREATE)
                        .setCreate(Offer.Operation.Create.newBuilder().addVolumes(volume)))
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
                        .setReserve(Offer.Operation.Reserve.newBuilder().addResources(tooMuch))));
        assertEquals(202, send(accept, streamId));
        List<String> refusals = master.refusals();
        assertEquals(2, refusals.size(), refusals.toString());
        assertTrue(refusals.get(0).contains("Persistent volumes cannot be created from unreserved resources"), refusals.get(0));
        assertTrue(refusals.get(1).contains("RESERVE") && refusals.get(1).contains("is not in the offered"), refusals.get(1));
        assertEquals(List.of(), master.reservations());
    }

    @Test
    void afterAFailoverTheOldMasterRedirectsToTheNewLeader() throws Exception {
        String old = master.url();
        String leader = master.failover();
        Call call = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("nobody").setName("t"))).build();
        HttpResponse<String> response = http.send(post(old, call, null), HttpResponse.BodyHandlers.ofString());
        assertEquals(307, response.statusCode());
        assertEquals(URI.create(leader + "/api/v1/scheduler"),
                URI.create(old).resolve(response.headers().firstValue("Location").orElseThrow()));
    }

    private HttpResponse<String> login(String uid, java.security.PrivateKey key) throws Exception {
        String body = "{\"uid\":\"" + uid + "\",\"token\":\"" + io.hivemqsuite.protocol.security.ServiceAccountToken.sign(
                uid, key, java.time.Instant.now().plusSeconds(60)) + "\"}";
        return http.send(HttpRequest.newBuilder(URI.create(master.url() + "/acs/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withAServiceAccountRegisteredEveryCallNeedsItsLoginAndTheLoginNeedsItsKey() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair account = generator.generateKeyPair();
        master.addServiceAccount("p", io.hivemqsuite.protocol.security.ServiceAccountToken.pem(account.getPublic()));

        assertEquals(401, send(Call.newBuilder().setType(Call.Type.REVIVE), streamId), "no token");
        HttpResponse<String> wrongKey = login("p", generator.generateKeyPair().getPrivate());
        assertEquals(401, wrongKey.statusCode());
        assertTrue(wrongKey.body().contains("signature"), wrongKey.body());
        assertEquals(401, login("q", account.getPrivate()).statusCode(), "unknown account");

        HttpResponse<String> ok = login("p", account.getPrivate());
        assertEquals(200, ok.statusCode(), ok.body());
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok.body()).path("token").asText();
        Call revive = Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(subscribed.getSubscribed().getFrameworkId()).build();
        HttpRequest withToken = HttpRequest.newBuilder(URI.create(master.url() + "/api/v1/scheduler"))
                .header("Content-Type", PROTOBUF).header("Mesos-Stream-Id", streamId).header("Authorization", "token=" + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(revive.toByteArray())).build();
        assertEquals(202, http.send(withToken, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(1, master.logins());

        master.revokeTokens();
        assertEquals(401, http.send(withToken, HttpResponse.BodyHandlers.ofString()).statusCode(), "revoked");
        // a SUBSCRIBE under another principal than the logged-in account
        Call other = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("nobody").setName("t2").setRole("t-role")
                        .setPrincipal("not-p"))).build();
        String fresh = new com.fasterxml.jackson.databind.ObjectMapper().readTree(login("p", account.getPrivate()).body())
                .path("token").asText();
        HttpResponse<String> subscribe = http.send(HttpRequest.newBuilder(URI.create(master.url() + "/api/v1/scheduler"))
                .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF).header("Authorization", "token=" + fresh)
                .POST(HttpRequest.BodyPublishers.ofByteArray(other.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, subscribe.statusCode());
        assertTrue(subscribe.body().contains("'not-p' does not match authenticated principal 'p'"), subscribe.body());
    }
}
