package io.tracewatch.io;

import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of every record between the source and the detector. Hand-written because it runs
 * several times per scan (network, batch sort, spilling): a presence bitmap and the present fields,
 * with none of the generic Avro writer's per-field union resolution. Dead letters, which never
 * cross the network, fall back to Avro.
 */
public final class IngestedSerializer extends TypeSerializerSingleton<Ingested> {
    public static final IngestedSerializer INSTANCE = new IngestedSerializer();
    public static final TypeInformation<Ingested> TYPE = new SerializerTypeInfo<>(Ingested.class, INSTANCE, false);

    private static final EventType[] EVENT_TYPES = EventType.values();
    private static final PartyType[] PARTY_TYPES = PartyType.values();

    private static final int HAS_EVENT = 1;
    private static final int HAS_DEAD_LETTER = 1 << 1;
    private static final int HAS_PARTITION = 1 << 2;

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

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Ingested createInstance() {
        return new Ingested();
    }

    /** Field by field: strings, instants and dates are immutable and shared; the records are new. */
    @Override
    public Ingested copy(Ingested from) {
        Ingested copy = new Ingested();
        copy.setSource(from.getSource());
        copy.setArrival(from.getArrival());
        copy.setPartition(from.getPartition());
        copy.setInvalidOptionalFields(from.getInvalidOptionalFields());
        if (from.getEvent() != null) {
            copy.setEvent(copyEvent(from.getEvent()));
        }
        if (from.getDeadLetter() != null) {
            copy.setDeadLetter(DeadLetter.newBuilder(from.getDeadLetter()).build());
        }
        return copy;
    }

    static ScanEvent copyEvent(ScanEvent e) {
        ScanEvent copy = new ScanEvent();
        for (int field = 0; field < ScanEvent.SCHEMA$.getFields().size(); field++) {
            copy.put(field, e.get(field));
        }
        return copy;
    }

    @Override
    public Ingested copy(Ingested from, Ingested reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Ingested record, DataOutputView out) throws IOException {
        int flags = (record.getEvent() != null ? HAS_EVENT : 0)
                | (record.getDeadLetter() != null ? HAS_DEAD_LETTER : 0)
                | (record.getPartition() != null ? HAS_PARTITION : 0);
        out.writeByte(flags);
        writeString(record.getSource(), out);
        out.writeLong(record.getArrival());
        out.writeInt(record.getInvalidOptionalFields());
        if (record.getPartition() != null) {
            out.writeInt(record.getPartition());
        }
        if (record.getEvent() != null) {
            writeEvent(record.getEvent(), out);
        }
        if (record.getDeadLetter() != null) {
            ByteBuffer avro = DeadLetter.getEncoder().encode(record.getDeadLetter());
            out.writeInt(avro.remaining());
            out.write(avro.array(), avro.arrayOffset() + avro.position(), avro.remaining());
        }
    }

    @Override
    public Ingested deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        Ingested record = new Ingested();
        record.setSource(readString(in));
        record.setArrival(in.readLong());
        record.setInvalidOptionalFields(in.readInt());
        if ((flags & HAS_PARTITION) != 0) {
            record.setPartition(in.readInt());
        }
        if ((flags & HAS_EVENT) != 0) {
            record.setEvent(readEvent(in));
        }
        if ((flags & HAS_DEAD_LETTER) != 0) {
            byte[] avro = new byte[in.readInt()];
            in.readFully(avro);
            record.setDeadLetter(DeadLetter.getDecoder().decode(avro));
        }
        return record;
    }

    @Override
    public Ingested deserialize(Ingested reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
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
    private static void writeString(String text, DataOutputView out) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeLength(bytes.length, out);
        out.write(bytes);
    }

    private static String readString(DataInputView in) throws IOException {
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

    @Override
    public TypeSerializerSnapshot<Ingested> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the format above; a change of format is a new serializer and snapshot version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Ingested> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
