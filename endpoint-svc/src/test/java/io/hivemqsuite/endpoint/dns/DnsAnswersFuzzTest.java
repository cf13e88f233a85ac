package io.hivemqsuite.endpoint.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemqsuite.protocol.endpoint.DnsZone;
import io.hivemqsuite.protocol.endpoint.NodeAddress;
import io.hivemqsuite.protocol.endpoint.ServiceEndpoints;
import io.hivemqsuite.protocol.options.OptionsReader;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DNS server answers whatever datagram reaches 127.0.0.1:8053. For any bytes, {@link DnsAnswers#answer} either
 * drops them (null) or returns a well-formed DNS response: the query's id, the QR bit, and no longer than the
 * transport allows (512 bytes over UDP without EDNS, 1232 with it, 65535 over TCP).
 * Seeds: {@code DnsAnswersFuzzTestInputs/anyDatagramGetsAWellFormedAnswerOrNone/} (real dig queries).
 */
class DnsAnswersFuzzTest {
    private static final DnsAnswers ANSWERS = new DnsAnswers(() -> List.of(zone()));

    private static DnsZone zone() {
        var spec = new OptionsReader().read("""
                {"service": {"name": "/dev/hivemq"}, "hivemq": {"listener_configuration": {"mqtt_tls_enabled": true}}}""");
        return new ServiceEndpoints(spec, List.of(new NodeAddress(0, "127.0.91.1"), new NodeAddress(1, "127.0.91.2"),
                new NodeAddress(2, "127.0.91.3"))).zone("127.0.91.250");
    }

    @FuzzTest
    void anyDatagramGetsAWellFormedAnswerOrNone(byte[] request) throws IOException {
        for (int maxLength : new int[] {512, 65535}) {
            byte[] response = ANSWERS.answer(request, maxLength);
            if (response == null) {
                continue;
            }
            assertTrue(response.length <= Math.min(maxLength, 65535), "response of " + response.length + " bytes");
            Message query = new Message(request);
            if (maxLength == 512) {
                int limit = query.getOPT() == null ? 512 : DnsAnswers.UDP_PAYLOAD;
                assertTrue(response.length <= limit, "UDP response of " + response.length + " bytes, limit " + limit);
            }
            Message parsed = new Message(response);
            assertEquals(query.getHeader().getID(), parsed.getHeader().getID());
            assertTrue(parsed.getHeader().getFlag(Flags.QR), "a response has QR set");
        }
    }
}
