package io.hivemqsuite.endpoint.vip;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The VIP reads the first bytes of every connection, from anyone. Whatever they are, {@link ConnectPacket} answers
 * without throwing, and it decides on the bytes it has: once a prefix gives an identifier or is malformed, every
 * longer prefix gives the same answer (bytes arriving later cannot change where the VIP already sent the client).
 * A well-formed CONNECT of any level gives back exactly its identifier, and every shorter prefix asks for more.
 */
class ConnectPacketFuzzTest {

    @FuzzTest
    void anyFirstBytesGiveAStableAnswer(byte[] bytes) {
        ConnectPacket.Result decided = null;
        for (int length = 0; length <= bytes.length; length++) {
            ConnectPacket.Result result = ConnectPacket.clientId(bytes, length);
            assertNotNull(result);
            if (decided != null) {
                assertEquals(decided, result, "the answer changed at byte " + length);
            } else if (result.status() != ConnectPacket.Status.NEED_MORE) {
                decided = result;
                if (result.status() == ConnectPacket.Status.CLIENT_ID) {
                    assertNotNull(result.clientId());
                } else {
                    assertNull(result.clientId());
                }
            }
        }
    }

    @FuzzTest
    void aWellFormedConnectGivesItsIdentifier(FuzzedDataProvider data) {
        int level = data.pickValue(new int[] {3, 4, 5});
        String id = data.consumeString(200);
        byte[] properties = level == 5 ? data.consumeBytes(300) : new byte[0];
        byte[] rest = data.consumeRemainingAsBytes(); // will, user name, password: never read
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);

        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        string(variable, (level == 3 ? "MQIsdp" : "MQTT").getBytes(StandardCharsets.US_ASCII));
        variable.write(level);
        variable.write(0x02); // clean start
        variable.write(0);
        variable.write(60);
        if (level == 5) {
            varInt(variable, properties.length);
            variable.writeBytes(properties);
        }
        string(variable, idBytes);
        variable.writeBytes(rest);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        varInt(packet, variable.size());
        packet.writeBytes(variable.toByteArray());
        byte[] bytes = packet.toByteArray();

        int idEnd = bytes.length - rest.length;
        for (int length = 0; length < idEnd; length++) {
            assertEquals(ConnectPacket.Result.NEED_MORE, ConnectPacket.clientId(bytes, length), "prefix " + length);
        }
        ConnectPacket.Result result = ConnectPacket.clientId(bytes, bytes.length);
        assertEquals(ConnectPacket.Status.CLIENT_ID, result.status());
        assertEquals(id, result.clientId());
    }

    private static void string(ByteArrayOutputStream out, byte[] value) {
        out.write(value.length >> 8);
        out.write(value.length & 0xff);
        out.writeBytes(value);
    }

    private static void varInt(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out.write(value > 0 ? b | 0x80 : b);
        } while (value > 0);
    }
}
