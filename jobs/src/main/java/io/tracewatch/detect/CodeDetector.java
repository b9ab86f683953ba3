package io.tracewatch.detect;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.config.DetectionConfig;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.DeadLetters;
import io.tracewatch.io.Times;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
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
public class CodeDetector extends KeyedProcessFunction<String, Ingested, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(CodeDetector.class);
    private static final long DAY_MS = 86_400_000L;

    private final DetectionConfig config;
    private final boolean applyRules;
    private transient ValueState<CodeState> codeState;
    private transient HistoryWalk walk;
    private transient AlertFactory alerts;
    private transient DetectorMetrics metrics;

    public CodeDetector(DetectionConfig config) {
        this(config, true);
    }

    /** @param applyRules false keeps state and timers but judges nothing: a benchmark's baseline */
    CodeDetector(DetectionConfig config, boolean applyRules) {
        this.config = config;
        this.applyRules = applyRules;
    }

    /** The one value of state per code; savepoints find it by this name. */
    static ValueStateDescriptor<CodeState> stateDescriptor() {
        return new ValueStateDescriptor<>("code-state", CodeStateSerializer.TYPE);
    }

    @Override
    public void open(OpenContext openContext) {
        codeState = getRuntimeContext().getState(stateDescriptor());
        walk = applyRules ? HistoryWalk.standard(config.maxSpeedKmh(), config.locationSlackKm()) : new HistoryWalk(List.of());
        alerts = new AlertFactory(walk.rules(), config.severity());
        metrics = new DetectorMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Ingested scan, Context ctx, Collector<Alert> out) throws Exception {
        ScanEvent event = scan.getEvent();
        metrics.events.inc();
        CodeState state = codeState.value();
        if (state == null) {
            state = CodeState.newBuilder().setHistory(new ArrayList<>()).setContents(new ArrayList<>()).setRaised(new ArrayList<>()).build();
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

        long horizon = horizon(state, ctx.timerService().currentWatermark());
        int position = insertionPoint(history, event);
        history.add(position, event);
        state.getContents().add(position, scan.getContent());
        ScanEvent dropped = null;
        if (history.size() > config.maxEventsPerCode()) {
            dropped = history.remove(history.size() - 1);
            state.getContents().remove(history.size());
            refuseOverflow(state, dropped, scan, ctx);
        }
        boolean late = Times.epochMicros(event.getEventTime()) <= horizon;
        boolean droppedJudged = dropped != null && dropped != event && Times.epochMicros(dropped.getEventTime()) <= horizon;
        if (late && dropped != event) {
            metrics.lateEvents.inc();
        }
        if ((late && dropped != event) || droppedJudged) {
            judge(state, horizon, late ? event : null, dropped, out);
        }
        scheduleJudging(state, horizon, ctx.timerService());
        scheduleCleanup(state, ctx.timerService());
        codeState.update(state);
    }

    /** Judged so far: up to the watermark, or further where the processing-time wait judged sooner. */
    private static long horizon(CodeState state, long watermarkMs) {
        return Math.max(state.getJudgedThrough(), judgedHorizon(watermarkMs));
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
                judge(state, Long.MAX_VALUE, null, null, out);
                scheduleJudging(state, state.getJudgedThrough(), timers);
                codeState.update(state);
            }
            return;
        }
        if (state.getJudgeTimer() != null && state.getJudgeTimer() == timestamp) {
            state.setJudgeTimer(null);
            long horizon = horizon(state, Math.max(timestamp, timers.currentWatermark()));
            judge(state, horizon, null, null, out);
            scheduleJudging(state, horizon, timers);
        }
        if (state.getCleanupTimer() != null && state.getCleanupTimer() == timestamp) {
            long due = retainedUntil(state);
            if (due > timestamp) {
                timers.registerEventTimeTimer(due);
                state.setCleanupTimer(due);
                codeState.update(state);
                return;
            }
            if (state.getWaitTimer() != null) {
                timers.deleteProcessingTimeTimer(state.getWaitTimer());
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

    /** Raises what the judged part of the history shows and retracts what it no longer shows. */
    private void judge(CodeState state, long horizon, ScanEvent cause, ScanEvent dropped, Collector<Alert> out) {
        List<ScanEvent> history = state.getHistory();
        int judged = 0;
        while (judged < history.size() && Times.epochMicros(history.get(judged).getEventTime()) <= horizon) {
            judged++;
        }
        if (judged > 0) {
            long lastJudged = Times.epochMicros(history.get(judged - 1).getEventTime());
            state.setJudgedThrough(Math.max(state.getJudgedThrough(), Math.min(horizon, lastJudged)));
        }
        List<Finding> findings = walk.findings(history.subList(0, judged));
        Set<String> standing = new LinkedHashSet<>(state.getRaised());
        Set<String> found = new LinkedHashSet<>();
        Instant now = Instant.now();
        for (Finding finding : findings) {
            found.add(finding.key());
            if (!standing.contains(finding.key())) {
                out.collect(alerts.raised(finding, now));
                metrics.raised.get(finding.rule()).inc();
            }
        }
        for (String key : standing) {
            if (!found.contains(key)) {
                int bar = key.indexOf('|');
                RuleId rule = RuleId.valueOf(key.substring(0, bar));
                ScanEvent trigger = find(history, dropped, key.substring(bar + 1));
                out.collect(alerts.retracted(rule, trigger, cause, now));
                metrics.retracted.get(rule).inc();
            }
        }
        state.setRaised(new ArrayList<>(found));
    }

    /**
     * Keeps one event-time timer at the first unjudged event and one processing-time timer that
     * judges whatever the watermark has not reached within the ordering delay; clears both when
     * every event is judged.
     */
    private void scheduleJudging(CodeState state, long horizon, TimerService timers) {
        ScanEvent firstUnjudged = null;
        for (ScanEvent event : state.getHistory()) {
            if (Times.epochMicros(event.getEventTime()) > horizon) {
                firstUnjudged = event;
                break;
            }
        }
        Long pending = state.getJudgeTimer();
        Long waiting = state.getWaitTimer();
        if (firstUnjudged == null) {
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
        long due = Math.floorDiv(Times.epochMicros(firstUnjudged.getEventTime()), 1000);
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

    /**
     * Registers the cleanup timer once. The retention only ever moves later as events arrive, so
     * rather than moving the timer on every event (two timer writes each, in RocksDB), a timer that
     * fires early is registered again at the new end of retention.
     */
    private void scheduleCleanup(CodeState state, TimerService timers) {
        if (state.getCleanupTimer() == null) {
            long due = retainedUntil(state);
            timers.registerEventTimeTimer(due);
            state.setCleanupTimer(due);
        }
    }

    private long retainedUntil(CodeState state) {
        List<ScanEvent> history = state.getHistory();
        long lastEventMs = history.get(history.size() - 1).getEventTime().toEpochMilli();
        long due = lastEventMs + config.retentionAfterLastEventDays() * DAY_MS;
        for (ScanEvent event : history) {
            if (event.getExpiryDate() != null) {
                long afterExpiry = Times.epochMillis(event.getExpiryDate().plusDays(1 + config.retentionAfterExpiryDays()));
                due = Math.max(due, afterExpiry);
            }
        }
        return due;
    }

    private void refuseOverflow(CodeState state, ScanEvent dropped, Ingested scan, Context ctx) {
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
