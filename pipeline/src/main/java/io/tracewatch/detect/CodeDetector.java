package io.tracewatch.detect;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.config.DetectionConfig;
import io.tracewatch.insurance.Leads;
import io.tracewatch.insurance.Verifications;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.codec.Times;
import io.tracewatch.io.ports.DeadLetters;
import io.tracewatch.model.Alert;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed operator of the pipeline: one instance of state per traceability code, holding the
 * code's distinct events in event-time order and the alerts currently raised on them.
 *
 * <p>An event is judged once the watermark passes its event time (the ordering delay lets earlier
 * uploads arrive first), or at the latest the ordering delay after it arrived in processing time,
 * so that a quiet stream whose watermark stalls still raises its alerts. An event that arrives after
 * its code was judged past it is merged into the history and the code is re-judged at once:
 * findings that appear are raised, alerts whose finding disappeared are retracted. Judging is always a fresh walk of the judged part of the history, so
 * the alerts standing at any time depend only on the events, not on the order they arrived in.
 *
 * <p>State is bounded by {@code detection.max_events_per_code} and dropped by an event-time timer
 * after the configured retention.
 */
public class CodeDetector extends KeyedBroadcastProcessFunction<String, Ingested, ReferenceRecord, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(CodeDetector.class);
    private static final long DAY_MS = 86_400_000L;
    private static final int LEAD_FINGERPRINT_CHARS = 16;
    /** How soon a code waiting for reference data looks again. */
    private static final long REFERENCE_RETRY_MS = 200;

    private final DetectionConfig config;
    private final CasePeriod period;
    private final boolean applyRules;
    private final boolean answerAtEnd;
    private final ReferenceMode reference;
    private transient ValueState<CodeState> codeState;
    private transient HistoryWalk walk;
    private transient AlertFactory alerts;
    private transient DetectorMetrics metrics;

    /** @param period the period of cases, which leads name */
    public CodeDetector(DetectionConfig config, CasePeriod period) {
        this(config, period, true, false, ReferenceMode.NONE);
    }

    /**
     * @param applyRules false keeps state and timers but judges nothing: a benchmark's baseline
     * @param answerAtEnd whether verification requests are answered at the end of the input (a
     *     replay) rather than when they arrive (the live job)
     * @param reference whether reference data arrives, and with it a register
     */
    public CodeDetector(DetectionConfig config, CasePeriod period, boolean applyRules, boolean answerAtEnd, ReferenceMode reference) {
        this.config = config;
        this.period = period;
        this.applyRules = applyRules;
        this.answerAtEnd = answerAtEnd;
        this.reference = reference;
    }

    /** The one value of state per code; savepoints find it by this name. */
    static ValueStateDescriptor<CodeState> stateDescriptor() {
        return new ValueStateDescriptor<>("code-state", CodeStateSerializer.TYPE);
    }

    @Override
    public void open(OpenContext openContext) {
        codeState = getRuntimeContext().getState(stateDescriptor());
        walk = applyRules ? HistoryWalk.standard() : new HistoryWalk(List.of());
        alerts = new AlertFactory(HistoryWalk.standard().rules(), config.maxAlertBytes());
        metrics = new DetectorMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Ingested scan, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (scan.getRequest() != null) {
            verify(scan.getRequest(), ctx);
            return;
        }
        ScanEvent event = scan.getEvent();
        metrics.events.inc();
        CodeState state = codeState.value();
        if (state == null) {
            state = CodeStateSerializer.INSTANCE.createInstance();
        }
        List<ScanEvent> history = state.getHistory();
        int known = indexOf(history, event.getEventId());
        if (known >= 0) {
            // equal JSON values: a re-upload; anything else under the same event_id is a conflict
            if (state.getContents().get(known) == scan.getContent()) {
                metrics.reuploads.inc();
            } else {
                metrics.conflictingDuplicates.inc();
                ctx.output(DeadLetters.TAG, DeadLetters.refused(
                        "conflicting duplicate (event_id " + event.getEventId() + " was accepted earlier with different content)", scan));
            }
            return;
        }

        TimerService timers = ctx.timerService();
        // the wall clock, as for watermarks (EventTimeWatermarks): what "years ahead" means
        long now = System.currentTimeMillis();
        // no rule reads it, so the detector keeps no patient reference, not even a pseudonym
        ScanEvent kept = event.getPatientRef() == null ? event : ScanEvent.newBuilder(event).setPatientRef(null).build();
        int position = insertionPoint(history, kept);
        history.add(position, kept);
        state.getContents().add(position, scan.getContent());
        ScanEvent dropped = null;
        if (history.size() > config.maxEventsPerCode()) {
            dropped = history.remove(history.size() - 1);
            state.getContents().remove(history.size());
            refuseOverflow(state, dropped, scan, ctx);
        }
        long walked = walkedHorizon(state, timers.currentWatermark());
        long eventMicros = Times.epochMicros(kept.getEventTime());
        boolean accepted = dropped != kept;
        boolean late = accepted && eventMicros <= lateHorizon(state, timers.currentWatermark(), now) && ready(ctx);
        boolean droppedJudged = dropped != null && accepted && Times.epochMicros(dropped.getEventTime()) <= walked && ready(ctx);
        if (accepted) {
            retainFor(state, kept, now);
        }
        if (late) {
            metrics.lateEvents.inc();
        }
        if (late || droppedJudged) {
            judge(state, walked, late ? kept : null, dropped, ctx, out);
        } else if (accepted && (state.getPendingFrom() == null || state.getPendingFrom() > eventMicros)) {
            state.setPendingFrom(eventMicros);
        }
        scheduleJudging(state, timers);
        scheduleCleanup(state, timers);
        codeState.update(state);
    }

    @Override
    public void processBroadcastElement(ReferenceRecord record, Context ctx, Collector<Alert> out) throws Exception {
        ReferenceState.apply(record, ctx.getBroadcastState(ReferenceState.VERSIONS), ctx.getBroadcastState(ReferenceState.READY));
    }

    /**
     * Whether scans may be judged: with reference data, only once everything known at start has
     * been read, so that the live job judges as a replay with the same data does.
     */
    private boolean ready(ReadOnlyContext ctx) throws Exception {
        return !reference.awaited() || ReferenceState.ready(ctx.getBroadcastState(ReferenceState.READY));
    }

    private Reference reference(ReadOnlyContext ctx) throws Exception {
        return ReferenceState.view(ctx.getBroadcastState(ReferenceState.VERSIONS), reference.register(), config);
    }

    /**
     * A verification request meets the code's state: answered at once with what is known now, or in
     * a replay held until the end of the input, when everything is known and judged.
     */
    private void verify(VerifyRequest request, ReadOnlyContext ctx) throws Exception {
        CodeState state = codeState.value();
        if (!answerAtEnd) {
            List<ScanEvent> history = state == null ? List.of() : state.getHistory();
            List<String> raised = state == null ? List.of() : state.getRaised();
            ctx.output(Verifications.TAG, Verifications.answer(request, history, raised, Instant.now()));
            return;
        }
        if (state == null) {
            state = CodeStateSerializer.INSTANCE.createInstance();
        }
        state.getRequests().add(request);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        codeState.update(state);
    }

    /** Answers the requests held for the end of the input, with every event judged. */
    private void answerHeldRequests(CodeState state, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (state.getRequests().isEmpty()) {
            return;
        }
        judge(state, Long.MAX_VALUE, null, null, ctx, out);
        Instant now = Instant.now();
        for (VerifyRequest request : state.getRequests()) {
            ctx.output(Verifications.TAG, Verifications.answer(request, state.getHistory(), state.getRaised(), now));
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        CodeState state = codeState.value();
        if (state == null) {
            return;
        }
        TimerService timers = ctx.timerService();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (state.getWaitTimer() != null && state.getWaitTimer() == timestamp) {
                state.setWaitTimer(null);
                if (ready(ctx)) {
                    judge(state, Long.MAX_VALUE, null, null, ctx, out);
                } else {
                    awaitReference(state, timers);
                }
                scheduleJudging(state, timers);
                codeState.update(state);
            }
            return;
        }
        if (timestamp == Long.MAX_VALUE && !state.getRequests().isEmpty()) {
            answerHeldRequests(state, ctx, out);
            if (state.getHistory().isEmpty()) {
                codeState.clear();
                return;
            }
        }
        if (state.getJudgeTimer() != null && state.getJudgeTimer() == timestamp) {
            state.setJudgeTimer(null);
            if (ready(ctx)) {
                judge(state, walkedHorizon(state, Math.max(timestamp, timers.currentWatermark())), null, null, ctx, out);
                scheduleJudging(state, timers);
            } else {
                // the reference data is not in yet. A new event-time timer would be at or before the
                // watermark and fire again at once, forever: the task would never read the broadcast
                // input that ends the wait, nor a checkpoint barrier. The processing-time wait retries.
                awaitReference(state, timers);
            }
        }
        if (state.getCleanupTimer() != null && state.getCleanupTimer() == timestamp) {
            long due = retainedUntil(state, System.currentTimeMillis());
            if (due > timestamp) {
                timers.registerEventTimeTimer(due);
                state.setCleanupTimer(due);
                codeState.update(state);
                return;
            }
            // the end of a replay's input passes every retention: what it was asked is answered first
            answerHeldRequests(state, ctx, out);
            if (state.getWaitTimer() != null) {
                timers.deleteProcessingTimeTimer(state.getWaitTimer());
            }
            if (state.getJudgeTimer() != null) {
                timers.deleteEventTimeTimer(state.getJudgeTimer());
            }
            codeState.clear();
            metrics.codesExpired.inc();
            return;
        }
        codeState.update(state);
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
    private void judge(CodeState state, long horizon, ScanEvent cause, ScanEvent dropped, ReadOnlyContext ctx, Collector<Alert> out)
            throws Exception {
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
        Reference reference = reference(ctx);
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
                out.collect(alerts.raised(finding, now, reference));
                metrics.raised.get(finding.rule()).inc();
            }
            Lead lead = Leads.of(finding, period, now, AlertFactory.regionOf(finding.trigger(), reference)[0]);
            if (lead != null) {
                String fingerprint = Leads.fingerprint(lead);
                leadsNow.put(key, fingerprint);
                if (!fingerprint.equals(leadsBefore.get(key))) {
                    ctx.output(Leads.TAG, lead);
                }
            }
        }
        for (String key : standing) {
            if (!found.contains(key)) {
                int bar = key.indexOf('|');
                RuleId rule = RuleId.valueOf(key.substring(0, bar));
                ScanEvent trigger = find(history, dropped, key.substring(bar + 1));
                out.collect(alerts.retracted(rule, trigger, cause, now, reference));
                metrics.retracted.get(rule).inc();
            }
        }
        for (String key : leadsBefore.keySet()) {
            if (!leadsNow.containsKey(key)) {
                int bar = key.indexOf('|');
                ctx.output(Leads.TAG, Leads.retracted(key.substring(0, bar), find(history, dropped, key.substring(bar + 1)), period, now));
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
     * nothing is pending.
     */
    private void scheduleJudging(CodeState state, TimerService timers) {
        Long pending = state.getJudgeTimer();
        Long waiting = state.getWaitTimer();
        if (state.getPendingFrom() == null) {
            if (pending != null) {
                timers.deleteEventTimeTimer(pending);
                state.setJudgeTimer(null);
            }
            if (waiting != null) {
                timers.deleteProcessingTimeTimer(waiting);
                state.setWaitTimer(null);
            }
            return;
        }
        long due = Math.floorDiv(state.getPendingFrom(), 1000);
        if (pending == null || pending > due) {
            if (pending != null) {
                timers.deleteEventTimeTimer(pending);
            }
            timers.registerEventTimeTimer(due);
            state.setJudgeTimer(due);
        }
        if (waiting == null) {
            long wakeUp = timers.currentProcessingTime() + config.maxJudgeDelayMs();
            timers.registerProcessingTimeTimer(wakeUp);
            state.setWaitTimer(wakeUp);
        }
    }

    /** Checks again shortly, in processing time, whether the reference data is in. */
    private static void awaitReference(CodeState state, TimerService timers) {
        if (state.getWaitTimer() == null) {
            long retry = timers.currentProcessingTime() + REFERENCE_RETRY_MS;
            timers.registerProcessingTimeTimer(retry);
            state.setWaitTimer(retry);
        }
    }

    /**
     * Registers the cleanup timer once. The retention only ever moves later as events arrive, so
     * rather than moving the timer on every event (two timer writes each, in RocksDB), a timer that
     * fires early is registered again at the new end of retention.
     */
    private void scheduleCleanup(CodeState state, TimerService timers) {
        if (state.getCleanupTimer() == null) {
            long due = retainedUntil(state, System.currentTimeMillis());
            timers.registerEventTimeTimer(due);
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

    private void refuseOverflow(CodeState state, ScanEvent dropped, Ingested scan, ReadOnlyContext ctx) {
        metrics.historyOverflows.inc();
        if (state.getOverflowed() == 0) {
            LOG.warn("History of code {} reached {} events; events past that are sent to the dead-letter output",
                    dropped.getCode(), config.maxEventsPerCode());
        }
        state.setOverflowed(state.getOverflowed() + 1);
        String reason = "history full: code already has " + config.maxEventsPerCode() + " earlier events";
        if (dropped == scan.getEvent()) {
            ctx.output(DeadLetters.TAG, DeadLetters.refused(reason, scan));
        } else {
            ctx.output(DeadLetters.TAG, DeadLetters.evicted(reason, dropped));
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
        final Map<RuleId, Counter> raised = new EnumMap<>(RuleId.class);
        final Map<RuleId, Counter> retracted = new EnumMap<>(RuleId.class);

        DetectorMetrics(MetricGroup group) {
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
