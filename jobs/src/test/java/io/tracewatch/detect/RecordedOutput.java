package io.tracewatch.detect;

import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What merging and judging wrote, kept for a test to read. */
final class RecordedOutput implements DetectorOutput {
    final List<Alert> alerts = new ArrayList<>();
    final List<Lead> leads = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final Map<Count, Integer> counts = new EnumMap<>(Count.class);

    @Override
    public void alert(Alert alert) {
        alerts.add(alert);
    }

    @Override
    public void lead(Lead lead) {
        leads.add(lead);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    @Override
    public void count(Count what) {
        counts.merge(what, 1, Integer::sum);
    }

    /** Each alert as "STATUS RULE@trigger", in the order written. */
    List<String> alertLines() {
        return alerts.stream().map(a -> a.getStatus() + " " + a.getRule() + "@" + a.getTriggerEventId()).toList();
    }

    /** Each lead as "STATUS RULE@trigger", in the order written. */
    List<String> leadLines() {
        return leads.stream().map(l -> l.getStatus() + " " + l.getRule() + "@" + l.getTriggerEventId()).toList();
    }
}
