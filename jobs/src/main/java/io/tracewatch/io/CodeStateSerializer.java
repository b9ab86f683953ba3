package io.tracewatch.io;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of the detector's per-code state. With RocksDB every scan reads and writes its code's
 * whole state, so this is the hottest serializer of the streaming job; the events are in
 * {@link ScanBinary}'s form. The snapshot is versioned: a change of format must read version 1.
 */
public final class CodeStateSerializer extends TypeSerializerSingleton<CodeState> {
    public static final CodeStateSerializer INSTANCE = new CodeStateSerializer();
    public static final TypeInformation<CodeState> TYPE = new SerializerTypeInfo<>(CodeState.class, INSTANCE, false);

    private static final int JUDGE_TIMER = 1;
    private static final int WAIT_TIMER = 1 << 1;
    private static final int CLEANUP_TIMER = 1 << 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CodeState createInstance() {
        return CodeState.newBuilder().setHistory(new ArrayList<>()).setContents(new ArrayList<>()).setRaised(new ArrayList<>()).build();
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
        copy.setRaised(new ArrayList<>(from.getRaised()));
        copy.setJudgedThrough(from.getJudgedThrough());
        copy.setJudgeTimer(from.getJudgeTimer());
        copy.setWaitTimer(from.getWaitTimer());
        copy.setCleanupTimer(from.getCleanupTimer());
        copy.setOverflowed(from.getOverflowed());
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
        out.writeInt(state.getHistory().size());
        for (int i = 0; i < state.getHistory().size(); i++) {
            ScanBinary.writeEvent(state.getHistory().get(i), out);
            out.writeLong(state.getContents().get(i));
        }
        out.writeInt(state.getRaised().size());
        for (String key : state.getRaised()) {
            ScanBinary.writeString(key, out);
        }
        out.writeLong(state.getJudgedThrough());
        int timers = (state.getJudgeTimer() != null ? JUDGE_TIMER : 0)
                | (state.getWaitTimer() != null ? WAIT_TIMER : 0)
                | (state.getCleanupTimer() != null ? CLEANUP_TIMER : 0);
        out.writeByte(timers);
        if (state.getJudgeTimer() != null) {
            out.writeLong(state.getJudgeTimer());
        }
        if (state.getWaitTimer() != null) {
            out.writeLong(state.getWaitTimer());
        }
        if (state.getCleanupTimer() != null) {
            out.writeLong(state.getCleanupTimer());
        }
        out.writeLong(state.getOverflowed());
    }

    @Override
    public CodeState deserialize(DataInputView in) throws IOException {
        int events = in.readInt();
        List<ScanEvent> history = new ArrayList<>(events + 1);
        List<Long> contents = new ArrayList<>(events + 1);
        for (int i = 0; i < events; i++) {
            history.add(ScanBinary.readEvent(in));
            contents.add(in.readLong());
        }
        int raisedCount = in.readInt();
        List<String> raised = new ArrayList<>(raisedCount + 1);
        for (int i = 0; i < raisedCount; i++) {
            raised.add(ScanBinary.readString(in));
        }
        CodeState state = new CodeState();
        state.setHistory(history);
        state.setContents(contents);
        state.setRaised(raised);
        state.setJudgedThrough(in.readLong());
        int timers = in.readByte();
        state.setJudgeTimer((timers & JUDGE_TIMER) != 0 ? in.readLong() : null);
        state.setWaitTimer((timers & WAIT_TIMER) != 0 ? in.readLong() : null);
        state.setCleanupTimer((timers & CLEANUP_TIMER) != 0 ? in.readLong() : null);
        state.setOverflowed(in.readLong());
        return state;
    }

    @Override
    public CodeState deserialize(CodeState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<CodeState> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CodeState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
