package io.tracewatch.io;

import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    private static final EventType[] EVENT_TYPES = EventType.values();
    private static final PartyType[] PARTY_TYPES = PartyType.values();

    private static final int REGION = 1;
    private static final int LOCATION = 1 << 1;
    private static final int COUNTERPARTY = 1 << 2;
    private static final int PRODUCT = 1 << 3;
    private static final int BATCH = 1 << 4;
    private static final int EXPIRY = 1 << 5;
    private static final int PACK_SIZE = 1 << 6;
    private static final int QUANTITY = 1 << 7;
    private static final int TRANSACTION = 1 << 8;
    private static final int PATIENT = 1 << 9;

    private ScanBinary() {}

    /** Field by field: strings, instants and dates are immutable and shared; the record is new. */
    static ScanEvent copyEvent(ScanEvent e) {
        ScanEvent copy = new ScanEvent();
        for (int field = 0; field < ScanEvent.SCHEMA$.getFields().size(); field++) {
            copy.put(field, e.get(field));
        }
        return copy;
    }

    static void writeEvent(ScanEvent e, DataOutputView out) throws IOException {
        int present = (e.getRegion() != null ? REGION : 0)
                | (e.getLat() != null && e.getLon() != null ? LOCATION : 0)
                | (e.getCounterpartyId() != null ? COUNTERPARTY : 0)
                | (e.getProductCode() != null ? PRODUCT : 0)
                | (e.getBatch() != null ? BATCH : 0)
                | (e.getExpiryDate() != null ? EXPIRY : 0)
                | (e.getPackSize() != null ? PACK_SIZE : 0)
                | (e.getQuantity() != null ? QUANTITY : 0)
                | (e.getTransactionId() != null ? TRANSACTION : 0)
                | (e.getPatientRef() != null ? PATIENT : 0);
        out.writeShort(present);
        writeString(e.getEventId(), out);
        writeString(e.getCode(), out);
        out.writeByte(e.getEventType().ordinal());
        out.writeLong(Times.epochMicros(e.getEventTime()));
        out.writeInt(e.getEventTimeOffsetS());
        writeString(e.getPartyId(), out);
        out.writeByte(e.getPartyType().ordinal());
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
        e.setEventType(EVENT_TYPES[in.readByte()]);
        long micros = in.readLong();
        e.setEventTime(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
        e.setEventTimeOffsetS(in.readInt());
        e.setPartyId(readString(in));
        e.setPartyType(PARTY_TYPES[in.readByte()]);
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
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeLength(int length, DataOutputView out) throws IOException {
        int rest = length;
        while (rest >= 0x80) {
            out.writeByte((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    private static int readLength(DataInputView in) throws IOException {
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return length;
    }

}
