package io.hivemqsuite.endpoint.dns;

import io.hivemqsuite.protocol.endpoint.DnsZone;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Answers one DNS query from the live zones, authoritatively: the records of the name, NOERROR without answers
 * for a name we own but not of that type, NXDOMAIN for every name no zone owns.
 */
public class DnsAnswers {
    /** Short, because records follow nodes coming and going within seconds. */
    static final long TTL = 5;
    static final int UDP_PAYLOAD = 1232;

    private final Supplier<List<DnsZone>> zones;

    public DnsAnswers(Supplier<List<DnsZone>> zones) {
        this.zones = zones;
    }

    /** The response to a query's wire bytes; null for a packet that is not a query we can even answer to. */
    public byte[] answer(byte[] request, int maxLength) {
        Message query;
        try {
            query = new Message(request);
        } catch (Exception e) {
            return null;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return null;
        }
        Message response = respond(query);
        if (query.getOPT() != null) {
            // Last in the additional section, after the addresses of SRV targets.
            response.addRecord(new OPTRecord(UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        int limit = maxLength;
        OPTRecord opt = query.getOPT();
        if (opt != null && maxLength < 65535) {
            limit = Math.max(512, Math.min(opt.getPayloadSize(), UDP_PAYLOAD));
        }
        return response.toWire(limit);
    }

    Message respond(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY || question == null) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        String name = question.getName().toString().toLowerCase(Locale.ROOT);
        int type = question.getType();
        boolean owned = false;
        try {
            for (DnsZone zone : zones.get()) {
                for (DnsZone.Srv srv : zone.srv()) {
                    if (srv.name().equals(name)) {
                        owned = true;
                        if (type == Type.SRV || type == Type.ANY) {
                            response.addRecord(srv(srv), Section.ANSWER);
                            additionalAddresses(zone, srv.target(), response);
                        }
                    }
                }
                for (DnsZone.A a : zone.a()) {
                    if (a.name().equals(name)) {
                        owned = true;
                        if (type == Type.A || type == Type.ANY) {
                            response.addRecord(a(a), Section.ANSWER);
                        }
                    }
                }
            }
        } catch (TextParseException | UnknownHostException e) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        if (!owned) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return response;
    }

    private static void additionalAddresses(DnsZone zone, String target, Message response)
            throws TextParseException, UnknownHostException {
        for (DnsZone.A a : zone.a()) {
            if (a.name().equals(target)) {
                Record record = a(a);
                if (!response.findRecord(record, Section.ADDITIONAL)) {
                    response.addRecord(record, Section.ADDITIONAL);
                }
            }
        }
    }

    private static Record srv(DnsZone.Srv srv) throws TextParseException {
        return new SRVRecord(Name.fromString(srv.name()), DClass.IN, TTL, 0, 1, srv.port(), Name.fromString(srv.target()));
    }

    private static Record a(DnsZone.A a) throws TextParseException, UnknownHostException {
        return new ARecord(Name.fromString(a.name()), DClass.IN, TTL, InetAddress.getByName(a.address()));
    }
}
