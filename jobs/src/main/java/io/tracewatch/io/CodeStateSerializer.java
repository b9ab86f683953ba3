package io.tracewatch.io;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.SentLead;
import io.tracewatch.model.internal.RaisedAlert;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of the detector's per-code state. With RocksDB every scan reads and writes its code's
 * whole state, so this is the hottest serializer of the streaming job; the events are in
 * {@link ScanBinary}'s form.
 *
 * <p>Formats, each a snapshot version (docs/operations.md, "State formats"): every change of the
 * bytes below adds a format, a reader for it ({@link CodeStateReader}), and a savepoint fixture under the tests'
 * {@code savepoints/} made by the release before the change.
 * <ol>
 *   <li>format 1: events, raised keys, judged-through, timers, overflow count;
 *   <li>format 2: as 1 with each event's content fingerprint; both were written under the snapshot
 *       version 3 of Flink's {@code SimpleTypeSerializerSnapshot}, so they are told apart by their
 *       bytes;
 *   <li>format 3 (snapshot version 4): as 2 without patient references, with the keys of the alerts
 *       that are leads, verification requests held for the end of a replay, the pending-from time
 *       and the end of retention;
 *   <li>format 4 (snapshot version 5): as 3 with each standing alert and lead as its fields (rule,
 *       trigger event_id, a fingerprint of what the alert said, the lead's fingerprint) where
 *       format 3 joined them in one string;
 *   <li>format 5 (snapshot version 6): as 4, then the code's sealed history if it has one
 *       (contract v1.2, "Years of codes");
 *   <li>format 6 (snapshot version 7): as 5 in fewer bytes, for the billions of sealed codes a
 *       region holds: counts as variable-length integers, times in their largest whole unit, the
 *       overflow count and the seal behind flags, the seal packed ({@link SealBinary}).
 * </ol>
 * A savepoint of an earlier format is migrated when it is restored; one of an unknown format is
 * refused with a message that names it.
 */
public final class CodeStateSerializer extends TypeSerializer<CodeState> {
    public static final CodeStateSerializer INSTANCE = new CodeStateSerializer(Format.CURRENT);
    public static final TypeInformation<CodeState> TYPE = new SerializerTypeInfo<>(CodeState.class, INSTANCE, false);

    static final int JUDGE_TIMER = 1;
    static final int WAIT_TIMER = 1 << 1;
    static final int CLEANUP_TIMER = 1 << 2;
    static final int PENDING = 1 << 3;
    static final int OVERFLOWED = 1 << 4;
    static final int SEALED = 1 << 5;

    /** The byte layouts this serializer reads; it writes only {@link #CURRENT}. */
    enum Format {
        /** Formats 1 and 2, written before formats were versioned: told apart by their bytes. */
        LEGACY(3),
        V3(4),
        V4(5),
        V5(6),
        V6(7);

        static final Format CURRENT = V6;
        /** The snapshot version that announces the format in a savepoint. */
        final int snapshotVersion;

        Format(int snapshotVersion) {
            this.snapshotVersion = snapshotVersion;
        }

        static Format ofSnapshotVersion(int version) throws IOException {
            for (Format format : values()) {
                if (format.snapshotVersion == version) {
                    return format;
                }
            }
            throw new IOException("the detector's state in this savepoint has format version " + version
                    + ", which this release of tracewatch cannot read (it reads versions " + LEGACY.snapshotVersion + "-"
                    + CURRENT.snapshotVersion + "); restore it with the release that wrote it, or start without it");
        }
    }

    private final Format format;

    private CodeStateSerializer(Format format) {
        this.format = format;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<CodeState> duplicate() {
        return this;
    }

    @Override
    public CodeState createInstance() {
        return CodeState.newBuilder().setHistory(new ArrayList<>()).setContents(new ArrayList<>()).setRaised(new ArrayList<>())
                .setLeads(new ArrayList<>()).setRequests(new ArrayList<>()).build();
    }

    @Override
    public CodeState copy(CodeState from) {
        List<ScanEvent> history = new ArrayList<>(from.getHistory().size() + 1);
        for (ScanEvent event : from.getHistory()) {
            history.add(ScanBinary.copyEvent(event));
        }
        CodeState copy = new CodeState();
        copy.setHistory(history);
        copy.setContents(new ArrayList<>(from.getContents()));
        // standing alerts and leads are replaced, never changed in place
        copy.setRaised(new ArrayList<>(from.getRaised()));
        copy.setLeads(new ArrayList<>(from.getLeads()));
        copy.setRequests(new ArrayList<>(from.getRequests()));
        copy.setJudgedThrough(from.getJudgedThrough());
        copy.setPendingFrom(from.getPendingFrom());
        copy.setRetainUntil(from.getRetainUntil());
        copy.setJudgeTimer(from.getJudgeTimer());
        copy.setWaitTimer(from.getWaitTimer());
        copy.setCleanupTimer(from.getCleanupTimer());
        copy.setOverflowed(from.getOverflowed());
        // a seal is replaced, never changed in place
        copy.setSeal(from.getSeal());
        return copy;
    }

    @Override
    public CodeState copy(CodeState from, CodeState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CodeState state, DataOutputView out) throws IOException {
        if (format != Format.CURRENT) {
            throw new IllegalStateException("state is written only in the current format");
        }
        CompactNumbers.writeUnsigned(state.getHistory().size(), out);
        for (int i = 0; i < state.getHistory().size(); i++) {
            ScanBinary.writeEvent(state.getHistory().get(i), out);
            out.writeLong(state.getContents().get(i));
        }
        CompactNumbers.writeUnsigned(state.getRaised().size(), out);
        for (RaisedAlert alert : state.getRaised()) {
            writeAlert(alert, out);
        }
        CompactNumbers.writeUnsigned(state.getLeads().size(), out);
        for (SentLead lead : state.getLeads()) {
            writeAlert(lead.getAlert(), out);
            ScanBinary.writeString(lead.getFingerprint(), out);
        }
        CompactNumbers.writeUnsigned(state.getRequests().size(), out);
        for (VerifyRequest request : state.getRequests()) {
            ScanBinary.writeString(request.getRequestId(), out);
            ScanBinary.writeString(request.getCode(), out);
            ScanBinary.writeString(request.getRequestedBy(), out);
            ScanBinary.writeString(request.getReason() == null ? "" : request.getReason(), out);
        }
        int flags = (state.getJudgeTimer() != null ? JUDGE_TIMER : 0)
                | (state.getWaitTimer() != null ? WAIT_TIMER : 0)
                | (state.getCleanupTimer() != null ? CLEANUP_TIMER : 0)
                | (state.getPendingFrom() != null ? PENDING : 0)
                | (state.getOverflowed() != 0 ? OVERFLOWED : 0)
                | (state.getSeal() != null ? SEALED : 0);
        out.writeByte(flags);
        CompactNumbers.writeTime(state.getJudgedThrough(), out);
        CompactNumbers.writeTime(state.getRetainUntil(), out);
        for (Long time : new Long[] {state.getJudgeTimer(), state.getWaitTimer(), state.getCleanupTimer(), state.getPendingFrom()}) {
            if (time != null) {
                CompactNumbers.writeTime(time, out);
            }
        }
        if (state.getOverflowed() != 0) {
            CompactNumbers.writeUnsigned(state.getOverflowed(), out);
        }
        if (state.getSeal() != null) {
            SealBinary.write(state.getSeal(), out);
        }
    }

    @Override
    public CodeState deserialize(DataInputView in) throws IOException {
        return switch (format) {
            case V6 -> CodeStateReader.readFormat6(in);
            case V5 -> CodeStateReader.readFormat5(in);
            case V4 -> CodeStateReader.readFormat3or4(in, true);
            case V3 -> CodeStateReader.readFormat3or4(in, false);
            case LEGACY -> CodeStateReader.readLegacy(in);
        };
    }

    private static void writeAlert(RaisedAlert alert, DataOutputView out) throws IOException {
        ScanBinary.writeString(alert.getRule(), out);
        ScanBinary.writeString(alert.getTriggerEventId(), out);
        out.writeLong(alert.getFingerprint());
    }

    @Override
    public CodeState deserialize(CodeState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        INSTANCE.serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CodeStateSerializer that && that.format == format;
    }

    @Override
    public int hashCode() {
        return format.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<CodeState> snapshotConfiguration() {
        return new Snapshot(format);
    }

    /**
     * The format of the state in a savepoint, as its version. The class keeps its name: savepoints
     * of formats 1 and 2 name it, with the version of Flink's simple snapshot they were written by.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<CodeState> {
        private Format format;

        public Snapshot() {
            this(Format.CURRENT);
        }

        Snapshot(Format format) {
            this.format = format;
        }

        @Override
        public int getCurrentVersion() {
            return format.snapshotVersion;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // the version says everything
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            format = Format.ofSnapshotVersion(readVersion);
        }

        @Override
        public TypeSerializer<CodeState> restoreSerializer() {
            return format == Format.CURRENT ? INSTANCE : new CodeStateSerializer(format);
        }

        @Override
        public TypeSerializerSchemaCompatibility<CodeState> resolveSchemaCompatibility(TypeSerializerSnapshot<CodeState> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.format == format
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
