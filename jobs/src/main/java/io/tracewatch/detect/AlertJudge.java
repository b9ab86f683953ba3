package io.tracewatch.detect;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.alert.Explanations;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.insurance.Leads;
import io.tracewatch.io.codec.Times;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.model.internal.SentLead;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a code's history, with no Flink: a fresh walk of the judged part of the history, then
 * what it shows against what stands. A finding not standing is raised, a standing alert whose
 * finding now says something else (a late event changed its evidence, or a duplicate sale's
 * cause) is sent again with the same alert_id, a standing alert whose finding is gone is
 * retracted, and a lead is written when what it says changes and withdrawn when its alert goes.
 * So the alerts standing at any time, and what each last said, depend only on the events, not on
 * the order they arrived in.
 */
public final class AlertJudge {
    private final HistoryWalk walk;
    private final AlertFactory alerts;
    private final CasePeriod period;
    private final DetectorOutput out;

    /** @param period the period of cases, which leads name */
    public AlertJudge(HistoryWalk walk, AlertFactory alerts, CasePeriod period, DetectorOutput out) {
        this.walk = walk;
        this.alerts = alerts;
        this.period = period;
        this.out = out;
    }

    /**
     * Walks the history up to {@code horizon} (event time in microseconds), on from the code's seal
     * if it has one, and raises what it shows and retracts what it no longer shows; the events after
     * the horizon are left pending. The alerts standing at the seal are never judged again.
     *
     * @param lateUpload the late event that made the code be judged again, or null; a retraction names it
     * @param dropped an event just evicted from the history, or null: a retraction may still name it
     */
    public void judge(CodeState state, long horizon, ScanEvent lateUpload, ScanEvent dropped, Reference reference) {
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
        List<Finding> findings = walk.walk(Sealing.startOf(state), Sealing.placedFrom(state), history.subList(0, judged), reference).findings();
        if (findings.isEmpty() && state.getRaised().isEmpty() && state.getLeads().isEmpty()) {
            return;
        }
        Map<Key, RaisedAlert> standing = new HashMap<>();
        for (RaisedAlert alert : state.getRaised()) {
            standing.put(Key.of(alert), alert);
        }
        Map<Key, String> leadsBefore = new HashMap<>();
        for (SentLead lead : state.getLeads()) {
            leadsBefore.put(Key.of(lead.getAlert()), lead.getFingerprint());
        }
        List<RaisedAlert> found = new ArrayList<>(findings.size());
        Set<Key> foundKeys = new HashSet<>();
        List<SentLead> leadsNow = new ArrayList<>();
        Set<Key> leading = new HashSet<>();
        Instant now = Instant.now();
        for (Finding finding : findings) {
            RaisedAlert alert = new RaisedAlert(finding.rule().name(), finding.trigger().getEventId(), fingerprint(finding));
            Key key = Key.of(alert);
            found.add(alert);
            foundKeys.add(key);
            RaisedAlert before = standing.get(key);
            // what it says changed: sent again, with the same alert_id (for a duplicate sale's cause, lifecycle.md)
            if (before == null || before.getFingerprint() != alert.getFingerprint()) {
                out.alert(alerts.raised(finding, Sealing.lateBeyondSeal(state, finding.trigger()), now, reference));
            }
            Lead lead = Leads.of(finding, period, now, AlertFactory.regionOf(finding.trigger(), reference)[0]);
            if (lead != null) {
                String fingerprint = Leads.fingerprint(lead);
                leadsNow.add(new SentLead(alert, fingerprint));
                leading.add(key);
                if (!fingerprint.equals(leadsBefore.get(key))) {
                    out.lead(lead);
                }
            }
        }
        for (RaisedAlert alert : state.getRaised()) {
            if (!foundKeys.contains(Key.of(alert))) {
                ScanEvent trigger = find(history, dropped, alert.getTriggerEventId());
                out.alert(alerts.retracted(RuleId.valueOf(alert.getRule()), trigger, lateUpload, now, reference));
            }
        }
        for (SentLead lead : state.getLeads()) {
            RaisedAlert alert = lead.getAlert();
            if (!leading.contains(Key.of(alert))) {
                out.lead(Leads.retracted(alert.getRule(), find(history, dropped, alert.getTriggerEventId()), period, now));
            }
        }
        state.setLeads(leadsNow);
        state.setRaised(found);
    }

    /**
     * What an alert says, as a fingerprint: its sentence (which names what makes the trigger
     * anomalous), its evidence, a duplicate sale's cause and a recall's id. Never 0, which marks an
     * alert kept by an earlier state format.
     */
    static long fingerprint(Finding finding) {
        long hash = mix(0xcbf29ce484222325L, Explanations.of(finding));
        for (ScanEvent event : finding.evidence()) {
            hash = mix(hash, event.getEventId());
        }
        if (finding instanceof Finding.DuplicateSale duplicate) {
            hash = mix(hash, duplicate.cause().name());
        }
        if (finding instanceof Finding.RecalledPack recalled) {
            hash = mix(hash, recalled.recall().getRecallId());
        }
        return hash == 0 ? 1 : hash;
    }

    /** FNV-1a over the text's characters, then a separator. */
    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash * 0x100000001b3L;
    }

    /** What names an alert within a code: its rule and its trigger. */
    private record Key(String rule, String triggerEventId) {
        static Key of(RaisedAlert alert) {
            return new Key(alert.getRule(), alert.getTriggerEventId());
        }
    }

    private static ScanEvent find(List<ScanEvent> history, ScanEvent dropped, String eventId) {
        int index = CodeHistory.indexOf(history, eventId);
        if (index >= 0) {
            return history.get(index);
        }
        if (dropped != null && dropped.getEventId().equals(eventId)) {
            return dropped;
        }
        throw new IllegalStateException("raised alert's trigger " + eventId + " is not in the history");
    }
}
