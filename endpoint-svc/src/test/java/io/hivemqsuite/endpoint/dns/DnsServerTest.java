package io.hivemqsuite.endpoint.dns;

import io.hivemqsuite.protocol.endpoint.NodeAddress;
import io.hivemqsuite.protocol.endpoint.ServiceEndpoints;
import io.hivemqsuite.protocol.options.OptionsReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/** Real queries over UDP and TCP against a running server, from dnsjava's resolver and from the dig binary. */
class DnsServerTest {
    private static final String HOST = "127.0.88.53";

    @TempDir
    Path dnsDir;
    private int port;
    private DnsServer server;

    @BeforeEach
    void startServer() throws Exception {
        port = freePort();
        long pid = ProcessHandle.current().pid();
        zoneOf("{}", "127.0.88", pid);
        zoneOf("{\"service\": {\"name\": \"/dev/hivemq\"}, \"node\": {\"count\": 2}}", "127.0.89", pid);
        server = startedServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void answersSrvWithTheNodeNameAndListenerPort() throws Exception {
        Message response = query("_mqtt._hivemq-1._tcp.hivemq.mesos.", Type.SRV, false);

        assertEquals(Rcode.NOERROR, response.getRcode());
        List<Record> answers = response.getSection(Section.ANSWER);
        assertEquals(1, answers.size());
        SRVRecord srv = (SRVRecord) answers.get(0);
        assertEquals("hivemq-1-node.hivemq.mesos.", srv.getTarget().toString());
        assertEquals(1883, srv.getPort());
        ARecord glue = (ARecord) response.getSection(Section.ADDITIONAL).stream()
                .filter(r -> r.getType() == Type.A).findFirst().orElseThrow();
        assertEquals("127.0.88.2", glue.getAddress().getHostAddress());
    }

    @Test
    void answersNodeAndVipAddresses() throws Exception {
        assertEquals("127.0.88.3", address("hivemq-2-node.hivemq.autoip.dcos.thisdcos.directory."));
        assertEquals("127.0.88.1", address("hivemq-0-node.hivemq.mesos."));
        assertEquals("127.0.88.250", address("mqtt.hivemq.l4lb.thisdcos.directory."));
        assertEquals("127.0.88.250", address("MQTT.HiveMQ.l4lb.thisdcos.directory."), "DNS names are case-insensitive");
    }

    @Test
    void namesNoZoneOwnsAreNxdomain() throws Exception {
        assertEquals(Rcode.NXDOMAIN, query("example.com.", Type.A, false).getRcode());
        assertEquals(Rcode.NXDOMAIN, query("_mqtt._hivemq-3._tcp.hivemq.mesos.", Type.SRV, false).getRcode(),
                "node 3 does not exist");
        assertEquals(Rcode.NXDOMAIN, query("websocket.hivemq.l4lb.thisdcos.directory.", Type.A, false).getRcode(),
                "a disabled listener has no VIP");
        Message noData = query("mqtt.hivemq.l4lb.thisdcos.directory.", Type.SRV, false);
        assertEquals(Rcode.NOERROR, noData.getRcode(), "an owned name without records of the type is NODATA");
        assertTrue(noData.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void folderedServiceAnswersUnderItsJoinedNameAndZonesStayDisjoint() throws Exception {
        Message srv = query("_mqtt._devhivemq-1._tcp.devhivemq.mesos.", Type.SRV, false);
        assertEquals("hivemq-1-node.devhivemq.mesos.",
                ((SRVRecord) srv.getSection(Section.ANSWER).get(0)).getTarget().toString());
        assertEquals("127.0.89.2", address("hivemq-1-node.devhivemq.autoip.dcos.thisdcos.directory."));
        assertEquals("127.0.89.250", address("mqtt.devhivemq.l4lb.thisdcos.directory."));

        assertEquals(Rcode.NXDOMAIN, query("_mqtt._devhivemq-2._tcp.devhivemq.mesos.", Type.SRV, false).getRcode(),
                "devhivemq has two nodes only, although hivemq has three");
        Message other = query("hivemq-0-node.hivemq.mesos.", Type.A, false);
        assertEquals(1, other.getSection(Section.ANSWER).size(), "one answer: no record of the other zone leaks in");
        assertEquals(Rcode.NXDOMAIN, query("dev.hivemq.l4lb.thisdcos.directory.", Type.A, false).getRcode());
    }

    @Test
    void answersOverTcp() throws Exception {
        Message response = query("_mqtt._hivemq-0._tcp.hivemq.mesos.", Type.SRV, true);
        assertEquals(1883, ((SRVRecord) response.getSection(Section.ANSWER).get(0)).getPort());
    }

    @Test
    void zoneOfADeadOwnerOrARemovedFileIsNotAnswered() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertTrue(finished.waitFor(10, TimeUnit.SECONDS));
        zoneOf("{\"service\": {\"name\": \"gone\"}}", "127.0.89", finished.pid());
        // Across a re-check of the zone files, the dead owner's names are never answered.
        await().during(Duration.ofMillis(ZoneDirectory.RECHECK_MILLIS + 100)).atMost(Duration.ofSeconds(10))
                .until(() -> query("mqtt.gone.l4lb.thisdcos.directory.", Type.A, false).getRcode() == Rcode.NXDOMAIN);

        Files.delete(ZoneFile.path(dnsDir, "devhivemq"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                query("mqtt.devhivemq.l4lb.thisdcos.directory.", Type.A, false).getRcode() == Rcode.NXDOMAIN);
        assertEquals("127.0.88.250", address("mqtt.hivemq.l4lb.thisdcos.directory."), "the other zone stays");
    }

    @Test
    void aWaitingServerTakesOverWhenTheHolderStops() throws Exception {
        try (DnsServer second = startedLater()) {
            // The address is held by the first server: the second keeps waiting.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !second.serving());
            server.close();
            await().atMost(Duration.ofSeconds(10)).until(second::serving);
            assertEquals("127.0.88.250", address("mqtt.hivemq.l4lb.thisdcos.directory."));
        }
    }

    @Test
    void theDigBinaryGetsTheSameAnswers() throws Exception {
        // A prerequisite (README), installed by .ci/run: missing, the test fails rather than skipping.
        assertTrue(new File("/usr/bin/dig").canExecute() || new File("/bin/dig").canExecute(),
                "dig is not installed (Debian package bind9-dnsutils)");
        assertEquals("0 1 1883 hivemq-2-node.hivemq.mesos.",
                dig("+short", "SRV", "_mqtt._hivemq-2._tcp.hivemq.mesos."));
        assertEquals("127.0.89.250", dig("+short", "+tcp", "A", "mqtt.devhivemq.l4lb.thisdcos.directory."));
        String nx = dig("A", "nothing.hivemq.mesos.");
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
    }

    private String dig(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dig", "@" + HOST, "-p", String.valueOf(port),
                "+time=2", "+tries=1"));
        command.addAll(List.of(args));
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(dig.getInputStream().readAllBytes()).trim();
        assertTrue(dig.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, dig.exitValue(), out);
        return out;
    }

    private void zoneOf(String options, String prefix, long pid) throws Exception {
        var spec = new OptionsReader().read(options);
        List<NodeAddress> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < spec.node().count(); i++) {
            nodes.add(new NodeAddress(i, prefix + "." + (i + 1)));
        }
        new ZoneFile(pid, new ServiceEndpoints(spec, nodes).zone(prefix + ".250")).write(dnsDir);
    }

    private DnsServer startedServer() throws InterruptedException {
        DnsServer started = startedLater();
        await("server bound " + HOST + ":" + port).atMost(Duration.ofSeconds(5)).until(started::serving);
        return started;
    }

    private DnsServer startedLater() {
        ZoneDirectory zones = new ZoneDirectory(dnsDir);
        DnsServer created = new DnsServer(new InetSocketAddress(HOST, port), new DnsAnswers(zones::liveZones),
                Duration.ofSeconds(1));
        created.start();
        return created;
    }

    private String address(String name) throws Exception {
        Message response = query(name, Type.A, false);
        assertEquals(Rcode.NOERROR, response.getRcode(), name);
        List<Record> answers = response.getSection(Section.ANSWER);
        assertEquals(1, answers.size(), name);
        return ((ARecord) answers.get(0)).getAddress().getHostAddress();
    }

    private Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(HOST));
        resolver.setPort(port);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static int freePort() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int candidate = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(HOST, candidate))) {
                    return candidate;
                } catch (Exception e) {
                    // taken for UDP: next
                }
            }
        }
        throw new IllegalStateException("no free port on " + HOST);
    }
}
