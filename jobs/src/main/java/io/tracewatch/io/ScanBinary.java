package io.tracewatch.io;

import io.tracewatch.io.codec.Times;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The compact binary form of a scan event that the hand-written serializers share: a bitmap of the
 * optional fields present, then the fields, strings as UTF-8 with a varint length. It runs for
 * every scan on the network, in batch sorting and in every state access, where the generic Avro
 * writer's per-field union resolution would dominate. Changing it means a new serializer version.
 */
final class ScanBinary {
    /**
     * Stable codes of the enums, by position here, never by the Avro enums' order: a symbol added
     * to a schema, or a reordering, must not change what stored bytes mean. New symbols go last.
     */
    private static final EventType[] EVENT_TYPES = {
        EventType.COMMISSION, EventType.SHIP, EventType.RECEIVE, EventType.SELL,
        EventType.DISPENSE, EventType.SETTLE, EventType.RETURN, EventType.DESTROY,
    };
    private static final PartyType[] PARTY_TYPES = {
        PartyType.MANUFACTURER, PartyType.DISTRIBUTOR, PartyType.PHARMACY, PartyType.HOSPITAL, PartyType.CLINIC, PartyType.INSURER,
    };
    private static final byte[] EVENT_TYPE_CODES = codes(EVENT_TYPES, EventType.values().length);
    private static final byte[] PARTY_TYPE_CODES = codes(PARTY_TYPES, PartyType.values().length);
    /** Longer than any string a record can bring (fields are bounded at ingest): the bytes are corrupt. */
    private static final int MAX_STRING_BYTES = 1 << 20;

    static final int REGION = 1;
    static final int LOCATION = 1 << 1;
    static final int COUNTERPARTY = 1 << 2;
    static final int PRODUCT = 1 << 3;
    static final int BATCH = 1 << 4;
    static final int EXPIRY = 1 << 5;
    static final int PACK_SIZE = 1 << 6;
    static final int QUANTITY = 1 << 7;
    static final int TRANSACTION = 1 << 8;
    static final int PATIENT = 1 << 9;

    private ScanBinary() {}

    private static byte[] codes(Enum<?>[] stable, int symbols) {
        if (stable.length != symbols) {
            throw new IllegalStateException("every enum symbol needs a stable code in ScanBinary");
        }
        byte[] codes = new byte[symbols];
        for (int code = 0; code < stable.length; code++) {
            codes[stable[code].ordinal()] = (byte) code;
        }
        return codes;
    }

    private static <E> E decode(E[] stable, int code, String what) throws IOException {
        if (code < 0 || code >= stable.length) {
            throw new IOException("corrupt record: " + what + " code " + code);
        }
        return stable[code];
    }

    /** Field by field: strings, instants and dates are immutable and shared; the record is new. */
    static ScanEvent copyEvent(ScanEvent e) {
        ScanEvent copy = new ScanEvent();
        for (int field = 0; field < ScanEvent.SCHEMA$.getFields().size(); field++) {
            copy.put(field, e.get(field));
        }
        return copy;
    }

    /** The bits of the optional fields {@code e} has. */
    static int present(ScanEvent e) {
        return (e.getRegion() != null ? REGION : 0)
                | (e.getLat() != null && e.getLon() != null ? LOCATION : 0)
                | (e.getCounterpartyId() != null ? COUNTERPARTY : 0)
                | (e.getProductCode() != null ? PRODUCT : 0)
                | (e.getBatch() != null ? BATCH : 0)
                | (e.getExpiryDate() != null ? EXPIRY : 0)
                | (e.getPackSize() != null ? PACK_SIZE : 0)
                | (e.getQuantity() != null ? QUANTITY : 0)
                | (e.getTransactionId() != null ? TRANSACTION : 0)
                | (e.getPatientRef() != null ? PATIENT : 0);
    }

    static int eventTypeCode(EventType type) {
        return EVENT_TYPE_CODES[type.ordinal()];
    }

    static EventType eventType(int code) throws IOException {
        return decode(EVENT_TYPES, code, "event_type");
    }

    static int partyTypeCode(PartyType type) {
        return PARTY_TYPE_CODES[type.ordinal()];
    }

    static PartyType partyType(int code) throws IOException {
        return decode(PARTY_TYPES, code, "party_type");
    }

    static void writeEvent(ScanEvent e, DataOutputView out) throws IOException {
        int present = present(e);
        out.writeShort(present);
        writeString(e.getEventId(), out);
        writeString(e.getCode(), out);
        out.writeByte(eventTypeCode(e.getEventType()));
        out.writeLong(Times.epochMicros(e.getEventTime()));
        out.writeInt(e.getEventTimeOffsetS());
        writeString(e.getPartyId(), out);
        out.writeByte(partyTypeCode(e.getPartyType()));
        if ((present & REGION) != 0) {
            writeString(e.getRegion(), out);
        }
        if ((present & LOCATION) != 0) {
            out.writeDouble(e.getLat());
            out.writeDouble(e.getLon());
        }
        if ((present & COUNTERPARTY) != 0) {
            writeString(e.getCounterpartyId(), out);
        }
        if ((present & PRODUCT) != 0) {
            writeString(e.getProductCode(), out);
        }
        if ((present & BATCH) != 0) {
            writeString(e.getBatch(), out);
        }
        if ((present & EXPIRY) != 0) {
            out.writeInt((int) e.getExpiryDate().toEpochDay());
        }
        if ((present & PACK_SIZE) != 0) {
            out.writeInt(e.getPackSize());
        }
        if ((present & QUANTITY) != 0) {
            out.writeInt(e.getQuantity());
        }
        if ((present & TRANSACTION) != 0) {
            writeString(e.getTransactionId(), out);
        }
        if ((present & PATIENT) != 0) {
            writeString(e.getPatientRef(), out);
        }
    }

    static ScanEvent readEvent(DataInputView in) throws IOException {
        int present = in.readShort();
        ScanEvent e = new ScanEvent();
        e.setEventId(readString(in));
        e.setCode(readString(in));
        e.setEventType(eventType(in.readByte()));
        e.setEventTime(Times.ofEpochMicros(in.readLong()));
        e.setEventTimeOffsetS(in.readInt());
        e.setPartyId(readString(in));
        e.setPartyType(partyType(in.readByte()));
        if ((present & REGION) != 0) {
            e.setRegion(readString(in));
        }
        if ((present & LOCATION) != 0) {
            e.setLat(in.readDouble());
            e.setLon(in.readDouble());
        }
        if ((present & COUNTERPARTY) != 0) {
            e.setCounterpartyId(readString(in));
        }
        if ((present & PRODUCT) != 0) {
            e.setProductCode(readString(in));
        }
        if ((present & BATCH) != 0) {
            e.setBatch(readString(in));
        }
        if ((present & EXPIRY) != 0) {
            e.setExpiryDate(LocalDate.ofEpochDay(in.readInt()));
        }
        if ((present & PACK_SIZE) != 0) {
            e.setPackSize(in.readInt());
        }
        if ((present & QUANTITY) != 0) {
            e.setQuantity(in.readInt());
        }
        if ((present & TRANSACTION) != 0) {
            e.setTransactionId(readString(in));
        }
        if ((present & PATIENT) != 0) {
            e.setPatientRef(readString(in));
        }
        return e;
    }

    /** UTF-8 with its length: codes and ids are ASCII, which Java encodes and decodes in bulk. */
    static void writeString(String text, DataOutputView out) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeLength(bytes.length, out);
        out.write(bytes);
    }

    static String readString(DataInputView in) throws IOException {
        int length = readLength(in);
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("corrupt record: string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeLength(int length, DataOutputView out) throws IOException {
        int rest = length;
        while (rest >= 0x80) {
            out.writeByte((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    static int readLength(DataInputView in) throws IOException {
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 35);
        return length;
    }

}
