package io.tracewatch.detect;

import io.tracewatch.io.BufferedScanSerializer;
import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.WaitingCodeSerializer;
import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.WaitingCode;
import io.tracewatch.savepoint.SavepointNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * A detector subtask's {@link ArrivalBuffer} in checkpoints: the codes waiting and the scans
 * buffered, as union operator state, so that after rescaling each subtask finds those of its codes
 * in every subtask's share. Savepoints of the release that introduced the buffer held both as
 * tuples under other names: they are read once, then left empty.
 */
final class ArrivalBufferState {
    private final ListState<BufferedScan> scans;
    private final ListState<WaitingCode> codes;

    private ArrivalBufferState(ListState<BufferedScan> scans, ListState<WaitingCode> codes) {
        this.scans = scans;
        this.codes = codes;
    }

    static ListStateDescriptor<BufferedScan> scansDescriptor() {
        return new ListStateDescriptor<>(SavepointNames.BUFFERED_SCANS, BufferedScanSerializer.TYPE);
    }

    static ListStateDescriptor<WaitingCode> codesDescriptor() {
        return new ListStateDescriptor<>(SavepointNames.WAITING_CODES, WaitingCodeSerializer.TYPE);
    }

    /**
     * The buffer restored from the state store, with the codes and scans of this subtask's key groups:
     * the codes first, in the order of their waits, then their scans in arrival order.
     */
    static ArrivalBufferState restore(OperatorStateStore store, TaskInfo task, ArrivalBuffer buffer) throws Exception {
        // after rescaling, every subtask reads every subtask's buffer
        Predicate<String> mine = code -> KeyGroupRangeAssignment.assignKeyToParallelOperator(code, task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask();
        ArrivalBufferState state = new ArrivalBufferState(store.getUnionListState(scansDescriptor()), store.getUnionListState(codesDescriptor()));
        List<WaitingCode> waiting = new ArrayList<>();
        state.codes.get().forEach(waiting::add);
        List<BufferedScan> buffered = new ArrayList<>();
        state.scans.get().forEach(buffered::add);
        readTuples(store, waiting, buffered);
        waiting.sort(Comparator.comparingLong(WaitingCode::getWaitFromMs));
        for (WaitingCode code : waiting) {
            if (mine.test(code.getCode())) {
                buffer.awaitInState(code.getCode(), code.getDueMs(), code.getWaitFromMs());
            }
        }
        for (BufferedScan scan : buffered) {
            if (mine.test(ArrivalBuffer.codeOf(scan))) {
                buffer.add(scan);
            }
        }
        return state;
    }

    /** The buffer as release 8f82554 wrote it, in tuples, taken over and left empty. */
    private static void readTuples(OperatorStateStore store, List<WaitingCode> waiting, List<BufferedScan> buffered) throws Exception {
        if (store.getRegisteredStateNames().contains(SavepointNames.TUPLE_BUFFERED_SCANS)) {
            ListState<Tuple4<Ingested, Long, Long, Long>> tuples = store.getUnionListState(new ListStateDescriptor<>(
                    SavepointNames.TUPLE_BUFFERED_SCANS, new TupleTypeInfo<>(IngestedSerializer.TYPE, Types.LONG, Types.LONG, Types.LONG)));
            tuples.get().forEach(t -> buffered.add(new BufferedScan(t.f0, t.f1, t.f2, t.f3)));
            tuples.clear();
        }
        if (store.getRegisteredStateNames().contains(SavepointNames.TUPLE_WAITING_CODES)) {
            ListState<Tuple3<String, Long, Long>> tuples = store.getUnionListState(new ListStateDescriptor<>(
                    SavepointNames.TUPLE_WAITING_CODES, new TupleTypeInfo<>(Types.STRING, Types.LONG, Types.LONG)));
            tuples.get().forEach(t -> waiting.add(new WaitingCode(t.f0, t.f1, t.f2)));
            tuples.clear();
        }
    }

    /** Writes the buffer's contents for a checkpoint. */
    void snapshot(ArrivalBuffer buffer) throws Exception {
        scans.update(buffer.arrivals());
        codes.update(buffer.waitingInState());
    }
}
