package io.tracewatch.alert;

import io.tracewatch.io.Times;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Finding;
import java.util.List;
import java.util.Locale;

/**
 * One sentence per alert that a case handler can read: what happened, where and when, and what in
 * the history makes it anomalous. Dates are the scanning site's local time.
 */
public final class Explanations {
    private Explanations() {}

    public static String of(Finding finding) {
        if (finding instanceof Finding.DuplicateSale dup) {
            return duplicateSale(dup);
        }
        if (finding instanceof Finding.ImpossibleRoute route) {
            return impossibleRoute(route);
        }
        return resale((Finding.PostDispenseResale) finding);
    }

    private static String duplicateSale(Finding.DuplicateSale dup) {
        ScanEvent first = dup.evidence().isEmpty() ? null : dup.evidence().get(0);
        StringBuilder sentence = new StringBuilder(describe(dup.trigger()));
        if (dup.packSize() != null) {
            sentence.append(String.format(Locale.ROOT, " brings the pack to %d of %d units consumed", dup.consumedUnits(), dup.packSize()));
        } else {
            sentence.append(String.format(Locale.ROOT, " is consumption %d of an indivisible pack", dup.consumptions()));
        }
        if (dup.parties().size() > 1) {
            sentence.append(" by ").append(dup.parties().size()).append(" parties (").append(String.join(", ", dup.parties())).append(')');
        }
        if (first != null) {
            sentence.append(", after it was ").append(describe(first));
        }
        return sentence.toString();
    }

    private static String impossibleRoute(Finding.ImpossibleRoute route) {
        StringBuilder sentence = new StringBuilder(describe(route.trigger()));
        if (route.custodyBroken()) {
            sentence.append(" while the chain of custody puts the pack at ").append(route.holder());
            if (route.custodyEvent() != null) {
                sentence.append(" (").append(describe(route.custodyEvent())).append(')');
            }
        }
        if (route.tooFast()) {
            ScanEvent previous = route.previousLocated();
            double hours = (Times.epochMicros(route.trigger().getEventTime()) - Times.epochMicros(previous.getEventTime())) / 3.6e9;
            sentence.append(route.custodyBroken() ? ", and " : ", ")
                    .append(String.format(Locale.ROOT, "%.0f km from where it was %s, farther than the %.0f km reachable in %.1f h",
                            route.distanceKm(), describe(previous), route.reachableKm(), hours));
        }
        return sentence.toString();
    }

    private static String resale(Finding.PostDispenseResale resale) {
        List<ScanEvent> evidence = resale.evidence();
        ScanEvent consumed = evidence.get(evidence.size() - 1);
        for (int i = evidence.size() - 1; i >= 0; i--) {
            EventType type = evidence.get(i).getEventType();
            if (type == EventType.DISPENSE || type == EventType.SETTLE) {
                consumed = evidence.get(i);
                break;
            }
        }
        return describe(resale.trigger()) + " after it was " + describe(consumed) + ": back in the supply chain after reaching a patient";
    }

    /** Why a RETRACTED record withdraws an alert. */
    public static String retraction(String rule, String triggerEventId, ScanEvent cause) {
        String because = cause == null
                ? "the code's history changed"
                : "the late upload " + cause.getEventId() + " (" + describe(cause) + ")";
        return "withdrawn: after " + because + ", " + triggerEventId + " no longer breaks " + rule;
    }

    /** E.g. "sold at PH-120101-0042 on 2026-03-06 10:40". */
    static String describe(ScanEvent e) {
        String party = e.getPartyId();
        String counterparty = e.getCounterpartyId();
        String what = switch (e.getEventType()) {
            case COMMISSION -> "commissioned by " + party;
            case SHIP -> "shipped by " + party + (counterparty == null ? "" : " to " + counterparty);
            case RECEIVE -> "received at " + party + (counterparty == null ? "" : " from " + counterparty);
            case SELL -> "sold at " + party + units(e);
            case DISPENSE -> "dispensed at " + party + units(e);
            case SETTLE -> "settled by insurance for " + party + units(e);
            case RETURN -> "returned by " + party + (counterparty == null ? "" : " to " + counterparty);
            case DESTROY -> "destroyed at " + party;
        };
        return what + " on " + Times.localMinute(e.getEventTime(), e.getEventTimeOffsetS());
    }

    private static String units(ScanEvent e) {
        return e.getQuantity() == null ? "" : " (" + e.getQuantity() + " units)";
    }
}
