package io.tracewatch.detect;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.model.Alert;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The keyed operator of the pipeline, one instance of state per traceability code; its first input
 * is the scans keyed by code, its second the reference data, broadcast. It owns Flink's side of
 * detection (state, timers, the arrival buffer's checkpoint); what a scan does to its code's
 * history, and what the history shows, is {@link CodeHistory} and {@link AlertJudge}, without Flink.
 *
 * <p>An event is judged once the watermark passes its event time (the ordering delay lets earlier
 * uploads arrive first), or at the latest {@code detection.max_judge_delay_ms} after it arrived in
 * processing time, so that a quiet stream whose watermark stalls still raises its alerts. An event
 * that arrives after its code was judged past it is merged and the code re-judged at once.
 *
 * <p>Judging in mini-batches: a scan that the watermark has not passed waits in the subtask's
 * {@link ArrivalBuffer}, and is merged with what else its code has buffered, as of its arrival,
 * when the watermark or its wait passes it: one read and one write of the code's state, no timer.
 * Past {@code detection.mini_batch_max_scans}, scans go to their code's state, which waits there.
 * Whatever reads a code's state first merges what it has buffered.
 *
 * <p>State is bounded by {@code detection.max_events_per_code} and dropped by an event-time timer
 * after the configured retention.
 */
public class CodeDetector extends AbstractStreamOperator<Alert>
        implements TwoInputStreamOperator<Ingested, ReferenceRecord, Alert>, Triggerable<String, VoidNamespace> {
    private final DetectionConfig config;
    private final CasePeriod period;
    private final boolean applyRules;
    private final boolean answerAtEnd;
    private final ReferenceMode reference;
    private final int bufferCapacity;
    private transient ValueState<CodeState> codeState;
    private transient CodeTimers timers;
    private transient ReferenceState referenceState;
    private transient ArrivalBuffer buffer;
    private transient ArrivalBufferState bufferState;
    /** When the subtask's processing-time timer for waits fires next; Long.MAX_VALUE when none is set. */
    private transient long waitTimerAt;
    /** When the wait of what {@link #load} took out of the buffer started: the code waits on from then if still pending. */
    private transient long waitOfLoaded;
    private transient JudgedAhead judgedAhead;
    private transient CodeHistory histories;
    private transient AlertJudge judge;
    private transient DetectorMetrics metrics;
    private transient DetectorEmitter out;

    /**
     * The live detector, judging in mini-batches.
     *
     * @param period the period of cases, which leads name
     */
    public CodeDetector(DetectionConfig config, CasePeriod period) {
        this(config, period, true, false, ReferenceMode.NONE, true);
    }

    /**
     * @param applyRules false keeps state and timers but judges nothing: a benchmark's baseline
     * @param answerAtEnd whether verification requests are answered at the end of the input (a
     *     replay) rather than when they arrive (the live job)
     * @param reference whether reference data arrives, and with it a register
     * @param buffered whether scans wait in the arrival buffer; a batch replay, whose input is
     *     sorted by code and whose state holds one code at a time, merges each scan at once
     */
    public CodeDetector(DetectionConfig config, CasePeriod period, boolean applyRules, boolean answerAtEnd, ReferenceMode reference,
            boolean buffered) {
        this.config = config;
        this.period = period;
        this.applyRules = applyRules;
        this.answerAtEnd = answerAtEnd;
        this.reference = reference;
        this.bufferCapacity = buffered ? config.miniBatchMaxScans() : 0;
    }

    /** The one value of state per code; public for tools that write it into a savepoint. */
    public static ValueStateDescriptor<CodeState> stateDescriptor() {
        return new ValueStateDescriptor<>(SavepointNames.CODE_STATE, CodeStateSerializer.TYPE);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        buffer = new ArrivalBuffer();
        bufferState = ArrivalBufferState.restore(context.getOperatorStateStore(), getRuntimeContext().getTaskInfo(), buffer);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        bufferState.snapshot(buffer);
    }

    @Override
    public void open() throws Exception {
        super.open();
        codeState = getPartitionedState(stateDescriptor());
        timers = new CodeTimers(getInternalTimerService(SavepointNames.JUDGE_TIMERS, VoidNamespaceSerializer.INSTANCE, this),
                getInternalTimerService(SavepointNames.RETENTION_TIMERS, VoidNamespaceSerializer.INSTANCE,
                        CodeTimers.eventTimeOnly(this::onRetentionTimer)), config.maxJudgeDelayMs());
        referenceState = ReferenceState.open(getOperatorStateBackend(), reference, config);
        HistoryWalk walk = applyRules ? HistoryWalk.standard() : new HistoryWalk(List.of());
        metrics = new DetectorMetrics(getMetricGroup(), getRuntimeContext(), buffer);
        out = new DetectorEmitter(output, metrics);
        judge = new AlertJudge(walk, new AlertFactory(HistoryWalk.standard().rules(), config.maxAlertBytes()), period, out);
        histories = new CodeHistory(config, judge, new Sealing(config, walk), out);
        waitTimerAt = Long.MAX_VALUE;
        waitOfLoaded = Long.MAX_VALUE;
        judgedAhead = new JudgedAhead(bufferCapacity);
        awaitOldest();
    }

    @Override
    public void processElement1(StreamRecord<Ingested> element) throws Exception {
        Ingested scan = element.getValue();
        String code = (String) getCurrentKey();
        if (scan.getRequest() != null) {
            verify(code, scan.getRequest());
            return;
        }
        metrics.events.inc();
        long watermark = timers.watermark();
        // the wall clock, as for watermarks (EventTimeWatermarks): what "years ahead" means
        BufferedScan arrival = new BufferedScan(scan, watermark, System.currentTimeMillis(), timers.processingTime());
        long eventTimeMs = ArrivalBuffer.eventTimeMs(arrival);
        if (bufferCapacity == 0 || eventTimeMs <= watermark || judgedAhead.covers(code, eventTimeMs)) {
            // late: merged, after what its code has buffered, and judged at once
            CodeState state = load(code);
            if (state == null) {
                state = CodeStateSerializer.INSTANCE.createInstance();
            }
            histories.merge(state, arrival, referenceState.ready(), referenceState::view);
            store(state);
            return;
        }
        buffer.add(arrival);
        if (buffer.size() > bufferCapacity) {
            // full: the code's scans go to its state, and the code waits here without them
            metrics.spills.inc();
            store(load(code));
        }
        awaitOldest();
    }

    @Override
    public void processElement2(StreamRecord<ReferenceRecord> element) throws Exception {
        Watermark released = referenceState.apply(element.getValue());
        if (released != null) {
            super.processWatermark1(released);
        }
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        Watermark admitted = referenceState.admit(mark);
        if (admitted != null) {
            super.processWatermark1(admitted);
        }
    }

    /** Before the watermark moves on (and fires timers, and goes downstream): judges the buffered codes it passes. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermarkMs = mark.getTimestamp();
        judgedAhead.watermarkAt(watermarkMs);
        for (String code : buffer.dueBy(watermarkMs)) {
            setCurrentKey(code);
            CodeState state = load(code);
            if (state == null) {
                continue;
            }
            if (state.getPendingFrom() != null && Math.floorDiv(state.getPendingFrom(), 1000) <= watermarkMs && referenceState.ready()) {
                judge.judge(state, CodeHistory.walkedHorizon(state, watermarkMs), null, null, referenceState.view());
            }
            store(state);
        }
        super.processWatermark(mark);
    }

    /** Keeps a processing-time timer of the subtask at the end of the earliest wait in the buffer. */
    private void awaitOldest() {
        long earliest = buffer.earliestWaitMs();
        if (earliest != Long.MAX_VALUE && earliest + config.maxJudgeDelayMs() < waitTimerAt) {
            waitTimerAt = earliest + config.maxJudgeDelayMs();
            getProcessingTimeService().registerTimer(waitTimerAt, this::judgeWaited);
        }
    }

    /** The watermark stalls: codes that waited long enough are judged whole. */
    private void judgeWaited(long time) throws Exception {
        if (time == waitTimerAt) {
            waitTimerAt = Long.MAX_VALUE;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (String code : buffer.waitingSince(now - config.maxJudgeDelayMs())) {
            setCurrentKey(code);
            CodeState state = load(code);
            if (state != null) {
                judgeWhole(state);
                store(state);
            }
        }
        awaitOldest();
    }

    /** Judges every event of the current code, or waits for the reference data. */
    private void judgeWhole(CodeState state) throws Exception {
        if (referenceState.ready()) {
            judge.judge(state, Long.MAX_VALUE, null, null, referenceState.view());
            long through = Math.floorDiv(state.getJudgedThrough(), 1000);
            if (bufferCapacity > 0 && through > timers.watermark()) {
                judgedAhead.judged((String) getCurrentKey(), through);
            }
        } else {
            timers.awaitReference(state);
        }
    }

    /**
     * The current code's state with its buffered scans merged, which leaves the buffer; null when
     * the code has neither.
     */
    private CodeState load(String code) throws Exception {
        CodeState state = codeState.value();
        ArrivalBuffer.Pending waiting = buffer.take(code);
        waitOfLoaded = waiting == null ? Long.MAX_VALUE : waiting.waitFromMs();
        List<BufferedScan> arrivals = waiting == null ? List.of() : waiting.arrivals();
        if (arrivals.isEmpty()) {
            return state;
        }
        if (state == null) {
            state = CodeStateSerializer.INSTANCE.createInstance();
        }
        boolean ready = referenceState.ready();
        for (BufferedScan arrival : arrivals) {
            histories.merge(state, arrival, ready, referenceState::view);
        }
        return state;
    }

    /**
     * Writes the current code's state. What is still pending waits in the buffer until the watermark
     * or its wait passes it; per-code timers only in a batch replay, and while the reference data is
     * not in.
     */
    private void store(CodeState state) throws Exception {
        long watermark = timers.watermark();
        histories.sealIfDue(state, watermark, referenceState.ready(), referenceState::view);
        if (bufferCapacity > 0 && state.getPendingFrom() != null && referenceState.ready()) {
            long now = timers.processingTime();
            buffer.awaitInState((String) getCurrentKey(), Math.floorDiv(state.getPendingFrom(), 1000), Math.min(waitOfLoaded, now));
            awaitOldest();
        } else {
            timers.scheduleJudging(state, referenceState.ready());
        }
        waitOfLoaded = Long.MAX_VALUE;
        if (!state.getHistory().isEmpty() || state.getSeal() != null) {
            timers.retainUntil(state, histories.nextTimerAt(state, watermark, System.currentTimeMillis()));
        }
        codeState.update(state);
    }

    /**
     * A verification request meets the code's state: answered at once with what is known now, or in
     * a replay held until the end of the input, when everything is known and judged.
     */
    private void verify(String code, VerifyRequest request) throws Exception {
        CodeState state = load(code);
        if (!answerAtEnd) {
            out.verification(Sealing.answer(request, state, Instant.now()));
            if (state != null) {
                store(state);
            }
            return;
        }
        if (state == null) {
            state = CodeStateSerializer.INSTANCE.createInstance();
        }
        state.getRequests().add(request);
        timers.atEndOfInput();
        store(state);
    }

    /** Answers the requests held for the end of the input, with every event judged. */
    private void answerHeldRequests(CodeState state) throws Exception {
        if (state.getRequests().isEmpty()) {
            return;
        }
        judge.judge(state, Long.MAX_VALUE, null, null, referenceState.view());
        Instant now = Instant.now();
        for (VerifyRequest request : state.getRequests()) {
            out.verification(Sealing.answer(request, state, now));
        }
        state.getRequests().clear();
    }

    /** A code's wait timer: restored from a savepoint, or kept for scans the buffer could not hold. */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        CodeState state = load(timer.getKey());
        if (state == null) {
            return;
        }
        if (state.getWaitTimer() != null && state.getWaitTimer() == timer.getTimestamp()) {
            state.setWaitTimer(null);
            judgeWhole(state);
        }
        store(state);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        CodeState state = load(timer.getKey());
        if (state == null) {
            return;
        }
        long timestamp = timer.getTimestamp();
        if (timestamp == Long.MAX_VALUE && !state.getRequests().isEmpty()) {
            answerHeldRequests(state);
            if (state.getHistory().isEmpty() && state.getSeal() == null) {
                codeState.clear();
                return;
            }
        }
        if (state.getJudgeTimer() != null && state.getJudgeTimer() == timestamp) {
            state.setJudgeTimer(null);
            if (referenceState.ready()) {
                judge.judge(state, CodeHistory.walkedHorizon(state, Math.max(timestamp, timers.watermark())), null, null, referenceState.view());
            } else {
                // the reference data is not in yet. A new event-time timer would be at or before the
                // watermark and fire again at once, forever: the task would never read the broadcast
                // input that ends the wait, nor a checkpoint barrier. The processing-time wait retries.
                timers.awaitReference(state);
            }
        }
        if (state.getCleanupTimer() != null && state.getCleanupTimer() == timestamp && expired(state, timestamp)) {
            return;
        }
        store(state);
    }

    /**
     * Seal and retention timers, apart from the others so that the end of a bounded input, which
     * passes every seal and retention at once, need not read every code's state only to change it
     * as the job ends. A code due to be sealed is sealed as it is stored.
     */
    private void onRetentionTimer(InternalTimer<String, VoidNamespace> timer) throws Exception {
        if (timers.inputEnded()) {
            return;
        }
        CodeState state = load(timer.getKey());
        if (state == null) {
            return;
        }
        if (state.getCleanupTimer() != null && state.getCleanupTimer() == timer.getTimestamp() && expired(state, timer.getTimestamp())) {
            return;
        }
        store(state);
    }

    /** Drops the code's state if its retention has passed, and says so; otherwise the timer is set again at its new end. */
    private boolean expired(CodeState state, long timestamp) throws Exception {
        if (histories.retainedUntil(state, System.currentTimeMillis()) > timestamp) {
            state.setCleanupTimer(null);
            return false;
        }
        // the end of a replay's input passes every retention: what it was asked is answered first
        answerHeldRequests(state);
        timers.cancelJudging(state);
        codeState.clear();
        metrics.codesExpired.inc();
        return true;
    }
}
