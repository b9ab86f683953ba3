package io.tracewatch.detect;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.detect.ArrivalBuffer.Arrival;
import io.tracewatch.ingest.EventTimeWatermarks;
import io.tracewatch.insurance.Leads;
import io.tracewatch.insurance.Verifications;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.codec.Times;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.model.Alert;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.model.internal.ReferenceVersions;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed operator of the pipeline: one instance of state per traceability code, holding the
 * code's distinct events in event-time order and the alerts currently raised on them. Its first
 * input is the scans keyed by code, its second the reference data, broadcast.
 *
 * <p>An event is judged once the watermark passes its event time (the ordering delay lets earlier
 * uploads arrive first), or at the latest {@code detection.max_judge_delay_ms} after it arrived in
 * processing time, so that a quiet stream whose watermark stalls still raises its alerts. An event
 * that arrives after its code was judged past it is merged into the history and the code is
 * re-judged: findings that appear are raised, alerts whose finding disappeared are retracted.
 * Judging is always a fresh walk of the judged part of the history, so the alerts standing at any
 * time depend only on the events, not on the order they arrived in.
 *
 * <p>Judging in mini-batches: a scan that the watermark has not passed waits in the subtask's
 * {@link ArrivalBuffer} (checkpointed as operator state) rather than in the code's state, and is
 * merged with what else its code has buffered, in arrival order and as of its arrival, when the
 * watermark or its wait passes it: one read and one write of the code's state, no timer. A code
 * whose state still holds events the watermark has not passed, and the scans the buffer cannot
 * hold ({@code detection.mini_batch_max_scans}), wait there too, merged into the state. Per-code
 * timers judge only in a batch replay (whose input is sorted by code), while the reference data is
 * not in, and for codes restored from a savepoint written before the buffer existed. Whatever reads
 * a code's state first merges what it has buffered.
 *
 * <p>State is bounded by {@code detection.max_events_per_code} and dropped by an event-time timer
 * after the configured retention.
 */
public class CodeDetector extends AbstractStreamOperator<Alert>
        implements TwoInputStreamOperator<Ingested, ReferenceRecord, Alert>, Triggerable<String, VoidNamespace> {
    private static final Logger LOG = LoggerFactory.getLogger(CodeDetector.class);
    private static final long DAY_MS = 86_400_000L;
    private static final int LEAD_FINGERPRINT_CHARS = 16;
    /** How soon a code waiting for reference data looks again. */
    private static final long REFERENCE_RETRY_MS = 200;
    /** The name the detector's per-code timers had as a KeyedBroadcastProcessFunction: savepoints hold them under it. */
    private static final String TIMERS = "user-timers";
    /** Retention timers; savepoints before it held them with the others, and those still fire there. */
    private static final String RETENTION_TIMERS = "retention-timers";

    private final DetectionConfig config;
    private final CasePeriod period;
    private final boolean applyRules;
    private final boolean answerAtEnd;
    private final ReferenceMode reference;
    private final int bufferCapacity;
    private transient ValueState<CodeState> codeState;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient InternalTimerService<VoidNamespace> retention;
    private transient BroadcastState<String, ReferenceVersions> versions;
    private transient BroadcastState<String, Boolean> referenceReady;
    private transient ListState<Tuple4<Ingested, Long, Long, Long>> bufferState;
    private transient ListState<Tuple3<String, Long, Long>> waitingState;
    private transient ArrivalBuffer buffer;
    /** When the subtask's processing-time timer for waits fires next; Long.MAX_VALUE when none is set. */
    private transient long waitTimerAt;
    /** When the wait of what {@link #load} took out of the buffer started: the code waits on from then if still pending. */
    private transient long waitOfLoaded;
    /**
     * Codes their wait judged past the watermark, with how far (milliseconds): an earlier upload of
     * theirs is late and merged at once. Kept until the watermark passes; not checkpointed, as after
     * a restore such an upload is still judged as late, only when its own wait ends.
     */
    private transient Map<String, Long> judgedAhead;
    private transient HistoryWalk walk;
    private transient AlertFactory alerts;
    private transient DetectorMetrics metrics;

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

    /** The one value of state per code; savepoints find it by this name. */
    static ValueStateDescriptor<CodeState> stateDescriptor() {
        return new ValueStateDescriptor<>("code-state", CodeStateSerializer.TYPE);
    }

    /**
     * The arrival buffer in checkpoints: each scan with its watermark, wall clock and processing time
     * at arrival. Union state, so that after rescaling each subtask finds the scans of its codes.
     */
    static ListStateDescriptor<Tuple4<Ingested, Long, Long, Long>> bufferDescriptor() {
        return new ListStateDescriptor<>("arrival-buffer", new TupleTypeInfo<>(IngestedSerializer.TYPE, Types.LONG, Types.LONG, Types.LONG));
    }

    /** The codes waiting in the buffer, with when each is due and when its wait started; union state, as the scans. */
    static ListStateDescriptor<Tuple3<String, Long, Long>> waitingDescriptor() {
        return new ListStateDescriptor<>("codes-waiting", new TupleTypeInfo<>(Types.STRING, Types.LONG, Types.LONG));
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        bufferState = context.getOperatorStateStore().getUnionListState(bufferDescriptor());
        waitingState = context.getOperatorStateStore().getUnionListState(waitingDescriptor());
        buffer = new ArrivalBuffer();
        // the codes first, in the order of their waits, then their scans
        List<Tuple3<String, Long, Long>> waiting = new ArrayList<>();
        waitingState.get().forEach(waiting::add);
        waiting.sort(java.util.Comparator.comparingLong(entry -> entry.f2));
        for (Tuple3<String, Long, Long> entry : waiting) {
            if (mine(entry.f0)) {
                buffer.awaitInState(entry.f0, entry.f1, entry.f2);
            }
        }
        for (Tuple4<Ingested, Long, Long, Long> entry : bufferState.get()) {
            if (mine(entry.f0.getEvent().getCode())) {
                buffer.add(new Arrival(entry.f0, entry.f1, entry.f2, entry.f3));
            }
        }
    }

    /** Whether this subtask holds the code's key group: after rescaling, every subtask reads every subtask's buffer. */
    private boolean mine(String code) {
        var task = getRuntimeContext().getTaskInfo();
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(code, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
                == task.getIndexOfThisSubtask();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Tuple4<Ingested, Long, Long, Long>> scans = new ArrayList<>(buffer.size());
        for (Arrival arrival : buffer.arrivals()) {
            scans.add(Tuple4.of(arrival.scan(), arrival.watermark(), arrival.wallClockMs(), arrival.processingMs()));
        }
        bufferState.update(scans);
        List<Tuple3<String, Long, Long>> codes = new ArrayList<>();
        for (ArrivalBuffer.InState waiting : buffer.waitingInState()) {
            codes.add(Tuple3.of(waiting.code(), waiting.dueMs(), waiting.waitFromMs()));
        }
        waitingState.update(codes);
    }

    @Override
    public void open() throws Exception {
        super.open();
        codeState = getPartitionedState(stateDescriptor());
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        retention = getInternalTimerService(RETENTION_TIMERS, VoidNamespaceSerializer.INSTANCE, new Triggerable<String, VoidNamespace>() {
            @Override
            public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
                onRetentionTimer(timer);
            }

            @Override
            public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
                // retention is event time only
            }
        });
        versions = getOperatorStateBackend().getBroadcastState(ReferenceState.VERSIONS);
        referenceReady = getOperatorStateBackend().getBroadcastState(ReferenceState.READY);
        walk = applyRules ? HistoryWalk.standard() : new HistoryWalk(List.of());
        alerts = new AlertFactory(HistoryWalk.standard().rules(), config.maxAlertBytes());
        metrics = new DetectorMetrics(getMetricGroup(), buffer);
        waitTimerAt = Long.MAX_VALUE;
        waitOfLoaded = Long.MAX_VALUE;
        judgedAhead = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > bufferCapacity;
            }
        };
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
        long watermark = timers.currentWatermark();
        // the wall clock, as for watermarks (EventTimeWatermarks): what "years ahead" means
        Arrival arrival = new Arrival(scan, watermark, System.currentTimeMillis(), timers.currentProcessingTime());
        if (bufferCapacity == 0 || arrival.eventTimeMs() <= watermark || arrival.eventTimeMs() <= judgedAhead.getOrDefault(code, Long.MIN_VALUE)) {
            // late: merged, after what its code has buffered, and judged at once
            CodeState state = load(code);
            if (state == null) {
                state = CodeStateSerializer.INSTANCE.createInstance();
            }
            merge(state, arrival);
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
        ReferenceState.apply(element.getValue(), versions, referenceReady);
    }

    /** Before the watermark moves on (and fires timers, and goes downstream): judges the buffered codes it passes. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermarkMs = mark.getTimestamp();
        if (!judgedAhead.isEmpty()) {
            judgedAhead.values().removeIf(through -> through <= watermarkMs);
        }
        for (String code : buffer.dueBy(watermarkMs)) {
            setCurrentKey(code);
            CodeState state = load(code);
            if (state == null) {
                continue;
            }
            if (state.getPendingFrom() != null && Math.floorDiv(state.getPendingFrom(), 1000) <= watermarkMs && ready()) {
                judge(state, walkedHorizon(state, watermarkMs), null, null);
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
        if (ready()) {
            judge(state, Long.MAX_VALUE, null, null);
            long through = Math.floorDiv(state.getJudgedThrough(), 1000);
            if (bufferCapacity > 0 && through > timers.currentWatermark()) {
                judgedAhead.put((String) getCurrentKey(), through);
            }
        } else {
            awaitReference(state);
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
        List<Arrival> arrivals = waiting == null ? List.of() : waiting.arrivals();
        if (arrivals.isEmpty()) {
            return state;
        }
        if (state == null) {
            state = CodeStateSerializer.INSTANCE.createInstance();
        }
        for (Arrival arrival : arrivals) {
            merge(state, arrival);
        }
        return state;
    }

    /**
     * Writes the current code's state. What is still pending waits in the buffer until the watermark
     * or its wait passes it; per-code timers only in a batch replay, and while the reference data is
     * not in.
     */
    private void store(CodeState state) throws Exception {
        if (bufferCapacity > 0 && state.getPendingFrom() != null && ready()) {
            long now = timers.currentProcessingTime();
            buffer.awaitInState((String) getCurrentKey(), Math.floorDiv(state.getPendingFrom(), 1000), Math.min(waitOfLoaded, now));
            awaitOldest();
        } else {
            scheduleJudging(state);
        }
        waitOfLoaded = Long.MAX_VALUE;
        if (!state.getHistory().isEmpty()) {
            scheduleCleanup(state);
        }
        codeState.update(state);
    }

    /**
     * Merges one scan into its code's history as of its arrival: a re-upload is dropped, a
     * conflicting copy refused; a late event (one the code was judged past) is judged at once.
     */
    private void merge(CodeState state, Arrival arrival) throws Exception {
        Ingested scan = arrival.scan();
        ScanEvent event = scan.getEvent();
        List<ScanEvent> history = state.getHistory();
        int known = indexOf(history, event.getEventId());
        if (known >= 0) {
            // equal JSON values: a re-upload; anything else under the same event_id is a conflict
            if (state.getContents().get(known) == scan.getContent()) {
                metrics.reuploads.inc();
            } else {
                metrics.conflictingDuplicates.inc();
                emit(DeadLetters.TAG, DeadLetters.refused(
                        "conflicting duplicate (event_id " + event.getEventId() + " was accepted earlier with different content)", scan));
            }
            return;
        }
        // no rule reads it, so the detector keeps no patient reference, not even a pseudonym
        ScanEvent kept = event.getPatientRef() == null ? event : ScanEvent.newBuilder(event).setPatientRef(null).build();
        int position = insertionPoint(history, kept);
        history.add(position, kept);
        state.getContents().add(position, scan.getContent());
        ScanEvent dropped = null;
        if (history.size() > config.maxEventsPerCode()) {
            dropped = history.remove(history.size() - 1);
            state.getContents().remove(history.size());
            refuseOverflow(state, dropped, scan);
        }
        long walked = walkedHorizon(state, arrival.watermark());
        long eventMicros = Times.epochMicros(kept.getEventTime());
        boolean accepted = dropped != kept;
        boolean late = accepted && eventMicros <= lateHorizon(state, arrival.watermark(), arrival.wallClockMs()) && ready();
        boolean droppedJudged = dropped != null && accepted && Times.epochMicros(dropped.getEventTime()) <= walked && ready();
        if (accepted) {
            retainFor(state, kept, arrival.wallClockMs());
        }
        if (late) {
            metrics.lateEvents.inc();
        }
        if (late || droppedJudged) {
            judge(state, walked, late ? kept : null, dropped);
        } else if (accepted && (state.getPendingFrom() == null || state.getPendingFrom() > eventMicros)) {
            state.setPendingFrom(eventMicros);
        }
    }

    /**
     * Whether scans may be judged: with reference data, only once everything known at start has
     * been read, so that the live job judges as a replay with the same data does.
     */
    private boolean ready() throws Exception {
        return !reference.awaited() || ReferenceState.ready(referenceReady);
    }

    private Reference reference() throws Exception {
        return ReferenceState.view(versions, reference.register(), config);
    }

    /**
     * A verification request meets the code's state: answered at once with what is known now, or in
     * a replay held until the end of the input, when everything is known and judged.
     */
    private void verify(String code, VerifyRequest request) throws Exception {
        CodeState state = load(code);
        if (!answerAtEnd) {
            List<ScanEvent> history = state == null ? List.of() : state.getHistory();
            List<String> raised = state == null ? List.of() : state.getRaised();
            emit(Verifications.TAG, Verifications.answer(request, history, raised, Instant.now()));
            if (state != null) {
                store(state);
            }
            return;
        }
        if (state == null) {
            state = CodeStateSerializer.INSTANCE.createInstance();
        }
        state.getRequests().add(request);
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, Long.MAX_VALUE);
        store(state);
    }

    /** Answers the requests held for the end of the input, with every event judged. */
    private void answerHeldRequests(CodeState state) throws Exception {
        if (state.getRequests().isEmpty()) {
            return;
        }
        judge(state, Long.MAX_VALUE, null, null);
        Instant now = Instant.now();
        for (VerifyRequest request : state.getRequests()) {
            emit(Verifications.TAG, Verifications.answer(request, state.getHistory(), state.getRaised(), now));
        }
        state.getRequests().clear();
    }

    /** Events up to this (microseconds) are judged by every walk: what the watermark passed, and what was judged before. */
    private static long walkedHorizon(CodeState state, long watermarkMs) {
        return Math.max(state.getJudgedThrough(), judgedHorizon(watermarkMs));
    }

    /**
     * An arriving event at or before this (microseconds) is late: it is merged and judged at once.
     * What the processing-time wait judged counts only up to the wall clock plus
     * {@code detection.max_future_skew_ms}, so a scan stamped years ahead cannot make every later
     * upload of its code late (contract v1.1).
     */
    private long lateHorizon(CodeState state, long watermarkMs, long nowMs) {
        long bound = judgedHorizon(Math.addExact(nowMs, config.maxFutureSkewMs()));
        return Math.max(judgedHorizon(watermarkMs), Math.min(state.getJudgedThrough(), bound));
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
            if (state.getHistory().isEmpty()) {
                codeState.clear();
                return;
            }
        }
        if (state.getJudgeTimer() != null && state.getJudgeTimer() == timestamp) {
            state.setJudgeTimer(null);
            if (ready()) {
                judge(state, walkedHorizon(state, Math.max(timestamp, timers.currentWatermark())), null, null);
            } else {
                // the reference data is not in yet. A new event-time timer would be at or before the
                // watermark and fire again at once, forever: the task would never read the broadcast
                // input that ends the wait, nor a checkpoint barrier. The processing-time wait retries.
                awaitReference(state);
            }
        }
        if (state.getCleanupTimer() != null && state.getCleanupTimer() == timestamp && expired(state, timestamp)) {
            return;
        }
        store(state);
    }

    /**
     * Retention timers, apart from the others so that the end of a bounded input, which passes every
     * retention at once, need not read every code's state only to drop it as the job ends.
     */
    private void onRetentionTimer(InternalTimer<String, VoidNamespace> timer) throws Exception {
        if (retention.currentWatermark() == Long.MAX_VALUE) {
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
        if (retainedUntil(state, System.currentTimeMillis()) > timestamp) {
            state.setCleanupTimer(null);
            return false;
        }
        // the end of a replay's input passes every retention: what it was asked is answered first
        answerHeldRequests(state);
        if (state.getWaitTimer() != null) {
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, state.getWaitTimer());
        }
        if (state.getJudgeTimer() != null) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, state.getJudgeTimer());
        }
        codeState.clear();
        metrics.codesExpired.inc();
        return true;
    }

    private void emit(Alert alert) {
        output.collect(new StreamRecord<>(alert));
    }

    private <T> void emit(OutputTag<T> tag, T record) {
        output.collect(tag, new StreamRecord<>(record));
    }

    /** Events with an event time (in microseconds) at or before this have been or are being judged. */
    private static long judgedHorizon(long watermarkMs) {
        if (watermarkMs == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        if (watermarkMs >= Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        return watermarkMs * 1000 + 999;
    }

    /**
     * Walks the history up to {@code horizon} and raises what it shows and retracts what it no
     * longer shows; the events after the horizon are left pending.
     */
    private void judge(CodeState state, long horizon, ScanEvent cause, ScanEvent dropped) throws Exception {
        List<ScanEvent> history = state.getHistory();
        int judged = 0;
        while (judged < history.size() && Times.epochMicros(history.get(judged).getEventTime()) <= horizon) {
            judged++;
        }
        if (judged > 0) {
            long lastJudged = Times.epochMicros(history.get(judged - 1).getEventTime());
            state.setJudgedThrough(Math.max(state.getJudgedThrough(), Math.min(horizon, lastJudged)));
        }
        state.setPendingFrom(judged < history.size() ? Times.epochMicros(history.get(judged).getEventTime()) : null);
        Reference reference = reference();
        List<Finding> findings = walk.findings(history.subList(0, judged), reference);
        Set<String> standing = new LinkedHashSet<>(state.getRaised());
        Map<String, String> leadsBefore = leadFingerprints(state.getLeads());
        Map<String, String> leadsNow = new LinkedHashMap<>();
        Set<String> found = new LinkedHashSet<>();
        Instant now = Instant.now();
        for (Finding finding : findings) {
            String key = finding.key();
            found.add(key);
            if (!standing.contains(key)) {
                emit(alerts.raised(finding, now, reference));
                metrics.raised.get(finding.rule()).inc();
            }
            Lead lead = Leads.of(finding, period, now, AlertFactory.regionOf(finding.trigger(), reference)[0]);
            if (lead != null) {
                String fingerprint = Leads.fingerprint(lead);
                leadsNow.put(key, fingerprint);
                if (!fingerprint.equals(leadsBefore.get(key))) {
                    emit(Leads.TAG, lead);
                }
            }
        }
        for (String key : standing) {
            if (!found.contains(key)) {
                int bar = key.indexOf('|');
                RuleId rule = RuleId.valueOf(key.substring(0, bar));
                ScanEvent trigger = find(history, dropped, key.substring(bar + 1));
                emit(alerts.retracted(rule, trigger, cause, now, reference));
                metrics.retracted.get(rule).inc();
            }
        }
        for (String key : leadsBefore.keySet()) {
            if (!leadsNow.containsKey(key)) {
                int bar = key.indexOf('|');
                emit(Leads.TAG, Leads.retracted(key.substring(0, bar), find(history, dropped, key.substring(bar + 1)), period, now));
            }
        }
        List<String> leads = new ArrayList<>(leadsNow.size());
        leadsNow.forEach((key, fingerprint) -> leads.add(fingerprint + key));
        state.setLeads(leads);
        state.setRaised(new ArrayList<>(found));
    }

    /** The stored leads: each a fingerprint of what the lead said, then the key of its alert. */
    private static Map<String, String> leadFingerprints(List<String> stored) {
        Map<String, String> leads = new LinkedHashMap<>();
        for (String entry : stored) {
            leads.put(entry.substring(LEAD_FINGERPRINT_CHARS), entry.substring(0, LEAD_FINGERPRINT_CHARS));
        }
        return leads;
    }

    /**
     * Keeps one event-time timer at the earliest pending event and one processing-time timer that
     * judges whatever the watermark has not reached within the ordering delay; clears both when
     * nothing is pending. Without the reference data no event-time timer is set at or before the
     * watermark: it would fire again at once, forever, and the task would never read the broadcast
     * input that ends the wait, nor a checkpoint barrier; the processing-time wait retries instead.
     */
    private void scheduleJudging(CodeState state) throws Exception {
        Long pending = state.getJudgeTimer();
        Long waiting = state.getWaitTimer();
        if (state.getPendingFrom() == null) {
            if (pending != null) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, pending);
                state.setJudgeTimer(null);
            }
            if (waiting != null) {
                timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, waiting);
                state.setWaitTimer(null);
            }
            return;
        }
        long due = Math.floorDiv(state.getPendingFrom(), 1000);
        if ((pending == null || pending > due) && (due > timers.currentWatermark() || ready())) {
            if (pending != null) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, pending);
            }
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
            state.setJudgeTimer(due);
        }
        if (waiting == null) {
            long wakeUp = timers.currentProcessingTime() + config.maxJudgeDelayMs();
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, wakeUp);
            state.setWaitTimer(wakeUp);
        }
    }

    /** Checks again shortly, in processing time, whether the reference data is in. */
    private void awaitReference(CodeState state) {
        if (state.getWaitTimer() == null) {
            long retry = timers.currentProcessingTime() + REFERENCE_RETRY_MS;
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, retry);
            state.setWaitTimer(retry);
        }
    }

    /**
     * Registers the cleanup timer once. The retention only ever moves later as events arrive, so
     * rather than moving the timer on every event (two timer writes each, in RocksDB), a timer that
     * fires early is registered again at the new end of retention.
     */
    private void scheduleCleanup(CodeState state) {
        if (state.getCleanupTimer() == null) {
            long due = retainedUntil(state, System.currentTimeMillis());
            retention.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
            state.setCleanupTimer(due);
        }
    }

    /**
     * Moves the end of retention for an arriving event: its last-event and expiry retention, each
     * from a time capped at the wall clock plus {@code detection.max_future_skew_ms}, so that a scan
     * stamped years ahead or an expiry of 9999-12-31 cannot keep a code forever (contract v1.1).
     */
    private void retainFor(CodeState state, ScanEvent event, long nowMs) {
        long bound = nowMs + config.maxFutureSkewMs();
        long due = Math.min(event.getEventTime().toEpochMilli(), bound) + config.retentionAfterLastEventDays() * DAY_MS;
        if (event.getExpiryDate() != null) {
            long expiry = Math.min(Times.epochMillis(event.getExpiryDate()), bound);
            due = Math.max(due, expiry + (1 + config.retentionAfterExpiryDays()) * DAY_MS);
        }
        state.setRetainUntil(Math.max(retainedUntil(state, nowMs), due));
    }

    /** The end of retention; worked out once from the whole history for state restored from a format that did not keep it. */
    private long retainedUntil(CodeState state, long nowMs) {
        if (state.getRetainUntil() == Long.MIN_VALUE && !state.getHistory().isEmpty()) {
            long due = Long.MIN_VALUE + 1;
            state.setRetainUntil(due);
            for (ScanEvent event : state.getHistory()) {
                retainFor(state, event, nowMs);
            }
        }
        return state.getRetainUntil();
    }

    private void refuseOverflow(CodeState state, ScanEvent dropped, Ingested scan) {
        metrics.historyOverflows.inc();
        if (state.getOverflowed() == 0) {
            LOG.warn("History of code {} reached {} events; events past that are sent to the dead-letter output",
                    dropped.getCode(), config.maxEventsPerCode());
        }
        state.setOverflowed(state.getOverflowed() + 1);
        String reason = "history full: code already has " + config.maxEventsPerCode() + " earlier events";
        if (dropped == scan.getEvent()) {
            emit(DeadLetters.TAG, DeadLetters.refused(reason, scan));
        } else {
            emit(DeadLetters.TAG, DeadLetters.evicted(reason, dropped));
        }
    }

    private static int indexOf(List<ScanEvent> history, String eventId) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).getEventId().equals(eventId)) {
                return i;
            }
        }
        return -1;
    }

    private static int insertionPoint(List<ScanEvent> history, ScanEvent event) {
        int i = history.size();
        while (i > 0 && Events.EVENT_TIME_ORDER.compare(history.get(i - 1), event) > 0) {
            i--;
        }
        return i;
    }

    private static ScanEvent find(List<ScanEvent> history, ScanEvent dropped, String eventId) {
        int index = indexOf(history, eventId);
        if (index >= 0) {
            return history.get(index);
        }
        if (dropped != null && dropped.getEventId().equals(eventId)) {
            return dropped;
        }
        throw new IllegalStateException("raised alert's trigger " + eventId + " is not in the history");
    }

    /** Counters of what the detector did, per subtask. */
    private static final class DetectorMetrics {
        final Counter events;
        final Counter reuploads;
        final Counter conflictingDuplicates;
        final Counter lateEvents;
        final Counter historyOverflows;
        final Counter codesExpired;
        final Counter spills;
        final Map<RuleId, Counter> raised = new EnumMap<>(RuleId.class);
        final Map<RuleId, Counter> retracted = new EnumMap<>(RuleId.class);

        DetectorMetrics(MetricGroup group, ArrivalBuffer buffer) {
            group.gauge("bufferedScans", buffer::size);
            spills = group.counter("bufferSpills");
            events = group.counter("eventsProcessed");
            reuploads = group.counter("reuploadsDropped");
            conflictingDuplicates = group.counter("conflictingDuplicates");
            lateEvents = group.counter("lateEventsMerged");
            historyOverflows = group.counter("historyOverflows");
            codesExpired = group.counter("codesExpired");
            for (RuleId rule : RuleId.values()) {
                MetricGroup ruleGroup = group.addGroup("rule", rule.name());
                raised.put(rule, ruleGroup.counter("alertsRaised"));
                retracted.put(rule, ruleGroup.counter("alertsRetracted"));
            }
        }
    }
}
