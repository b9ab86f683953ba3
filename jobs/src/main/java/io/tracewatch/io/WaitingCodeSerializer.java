package io.tracewatch.io;

import io.tracewatch.model.internal.WaitingCode;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializer of the codes waiting in a detector subtask's arrival buffer, checkpointed as operator state. */
public final class WaitingCodeSerializer extends UnchangedRecordSerializer<WaitingCode> {
    public static final WaitingCodeSerializer INSTANCE = new WaitingCodeSerializer();
    public static final TypeInformation<WaitingCode> TYPE = new SerializerTypeInfo<>(WaitingCode.class, INSTANCE, false);

    @Override
    public WaitingCode createInstance() {
        return new WaitingCode();
    }

    @Override
    public void serialize(WaitingCode waiting, DataOutputView out) throws IOException {
        ScanBinary.writeString(waiting.getCode(), out);
        out.writeLong(waiting.getDueMs());
        out.writeLong(waiting.getWaitFromMs());
    }

    @Override
    public WaitingCode deserialize(DataInputView in) throws IOException {
        return new WaitingCode(ScanBinary.readString(in), in.readLong(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<WaitingCode> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the format above; a change of format is a new serializer and snapshot version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WaitingCode> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
