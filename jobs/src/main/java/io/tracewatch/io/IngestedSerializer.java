package io.tracewatch.io;

import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.Ingested;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of every record between the source and the detector, in {@link ScanBinary}'s form.
 * Hand-written because it runs several times per scan (network, batch sort, spilling). Dead
 * letters, which never cross the network, fall back to Avro.
 */
public final class IngestedSerializer extends TypeSerializerSingleton<Ingested> {
    public static final IngestedSerializer INSTANCE = new IngestedSerializer();
    public static final TypeInformation<Ingested> TYPE = new SerializerTypeInfo<>(Ingested.class, INSTANCE, false);

    private static final int HAS_EVENT = 1;
    private static final int HAS_DEAD_LETTER = 1 << 1;
    private static final int HAS_PARTITION = 1 << 2;
    private static final int HAS_REQUEST = 1 << 3;

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
        copy.setContent(from.getContent());
        if (from.getEvent() != null) {
            copy.setEvent(ScanBinary.copyEvent(from.getEvent()));
        }
        if (from.getDeadLetter() != null) {
            copy.setDeadLetter(DeadLetter.newBuilder(from.getDeadLetter()).build());
        }
        copy.setRequest(from.getRequest());
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
                | (record.getPartition() != null ? HAS_PARTITION : 0)
                | (record.getRequest() != null ? HAS_REQUEST : 0);
        out.writeByte(flags);
        ScanBinary.writeString(record.getSource(), out);
        out.writeLong(record.getArrival());
        out.writeInt(record.getInvalidOptionalFields());
        out.writeLong(record.getContent());
        if (record.getPartition() != null) {
            out.writeInt(record.getPartition());
        }
        if (record.getEvent() != null) {
            ScanBinary.writeEvent(record.getEvent(), out);
        }
        if (record.getDeadLetter() != null) {
            ByteBuffer avro = DeadLetter.getEncoder().encode(record.getDeadLetter());
            out.writeInt(avro.remaining());
            out.write(avro.array(), avro.arrayOffset() + avro.position(), avro.remaining());
        }
        if (record.getRequest() != null) {
            ByteBuffer avro = VerifyRequest.getEncoder().encode(record.getRequest());
            out.writeInt(avro.remaining());
            out.write(avro.array(), avro.arrayOffset() + avro.position(), avro.remaining());
        }
    }

    @Override
    public Ingested deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        Ingested record = new Ingested();
        record.setSource(ScanBinary.readString(in));
        record.setArrival(in.readLong());
        record.setInvalidOptionalFields(in.readInt());
        record.setContent(in.readLong());
        if ((flags & HAS_PARTITION) != 0) {
            record.setPartition(in.readInt());
        }
        if ((flags & HAS_EVENT) != 0) {
            record.setEvent(ScanBinary.readEvent(in));
        }
        if ((flags & HAS_DEAD_LETTER) != 0) {
            byte[] avro = new byte[in.readInt()];
            in.readFully(avro);
            record.setDeadLetter(DeadLetter.getDecoder().decode(avro));
        }
        if ((flags & HAS_REQUEST) != 0) {
            byte[] avro = new byte[in.readInt()];
            in.readFully(avro);
            record.setRequest(VerifyRequest.getDecoder().decode(avro));
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
