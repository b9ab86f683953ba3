package io.tracewatch.detect;

import io.tracewatch.detect.DetectorOutput.Count;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.rules.RuleId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counters of what a detector subtask did (docs/operations.md, "Metrics"), and the accumulators a
 * bounded job reports when it ends (a replay's summary).
 */
public final class DetectorMetrics {
    public static final String ALERTS_RAISED = "alerts-raised";
    public static final String ALERTS_RETRACTED = "alerts-retracted";
    public static final String DEAD_LETTERS = "detector-dead-letters";

    final Counter events;
    final Counter codesExpired;
    final Counter spills;
    private final Map<Count, Counter> counts = new EnumMap<>(Count.class);
    private final Map<String, Counter> raised = new HashMap<>();
    private final Map<String, Counter> retracted = new HashMap<>();
    private final LongCounter raisedTotal;
    private final LongCounter retractedTotal;
    private final LongCounter deadLetters;

    DetectorMetrics(MetricGroup group, RuntimeContext context, ArrivalBuffer buffer) {
        raisedTotal = context.getLongCounter(ALERTS_RAISED);
        retractedTotal = context.getLongCounter(ALERTS_RETRACTED);
        deadLetters = context.getLongCounter(DEAD_LETTERS);
        group.gauge("bufferedScans", buffer::size);
        spills = group.counter("bufferSpills");
        events = group.counter("eventsProcessed");
        counts.put(Count.REUPLOAD, group.counter("reuploadsDropped"));
        counts.put(Count.CONFLICTING_DUPLICATE, group.counter("conflictingDuplicates"));
        counts.put(Count.LATE_EVENT, group.counter("lateEventsMerged"));
        counts.put(Count.LATE_BEYOND_SEAL, group.counter("lateBeyondSeal"));
        counts.put(Count.HISTORY_OVERFLOW, group.counter("historyOverflows"));
        codesExpired = group.counter("codesExpired");
        for (RuleId rule : RuleId.values()) {
            MetricGroup ruleGroup = group.addGroup("rule", rule.name());
            raised.put(rule.name(), ruleGroup.counter("alertsRaised"));
            retracted.put(rule.name(), ruleGroup.counter("alertsRetracted"));
        }
    }

    void count(Count what) {
        counts.get(what).inc();
    }

    void alert(Alert alert) {
        boolean raising = alert.getStatus() == AlertStatus.RAISED;
        (raising ? raised : retracted).get(alert.getRule()).inc();
        (raising ? raisedTotal : retractedTotal).add(1);
    }

    void deadLetter() {
        deadLetters.add(1);
    }
}
