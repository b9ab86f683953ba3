package io.tracewatch.io;

import io.tracewatch.model.internal.BufferedScan;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of the scans waiting in a detector subtask's arrival buffer, checkpointed as operator
 * state: the scan in {@link IngestedSerializer}'s form, then what the detector knew when it
 * arrived. The detector never changes a buffered scan.
 */
public final class BufferedScanSerializer extends UnchangedRecordSerializer<BufferedScan> {
    public static final BufferedScanSerializer INSTANCE = new BufferedScanSerializer();
    public static final TypeInformation<BufferedScan> TYPE = new SerializerTypeInfo<>(BufferedScan.class, INSTANCE, false);

    @Override
    public BufferedScan createInstance() {
        return new BufferedScan();
    }

    @Override
    public void serialize(BufferedScan buffered, DataOutputView out) throws IOException {
        IngestedSerializer.INSTANCE.serialize(buffered.getScan(), out);
        out.writeLong(buffered.getWatermark());
        out.writeLong(buffered.getWallClockMs());
        out.writeLong(buffered.getProcessingMs());
    }

    @Override
    public BufferedScan deserialize(DataInputView in) throws IOException {
        return new BufferedScan(IngestedSerializer.INSTANCE.deserialize(in), in.readLong(), in.readLong(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<BufferedScan> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the format above; a change of format is a new serializer and snapshot version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<BufferedScan> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
