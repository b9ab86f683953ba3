package io.tracewatch.alert;

import io.tracewatch.io.codec.Times;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.DuplicateCause;
import io.tracewatch.rules.Finding;
import java.util.List;
import java.util.Locale;

/**
 * One sentence per alert that a case handler can read: what happened, where and when, and what in
 * the history makes it anomalous. Dates are the scanning site's local time.
 */
public final class Explanations {
    private Explanations() {}

    /** Longest explanation, in characters: party ids are uploaded text, and a sentence stays a sentence. */
    static final int MAX_CHARS = 2000;
    /** Parties named in one sentence; the rest are counted. */
    static final int MAX_PARTIES_NAMED = 5;

    public static String of(Finding finding) {
        String sentence;
        if (finding instanceof Finding.DuplicateSale dup) {
            sentence = duplicateSale(dup);
        } else if (finding instanceof Finding.ImpossibleRoute route) {
            sentence = impossibleRoute(route);
        } else if (finding instanceof Finding.UnlicensedChannel channel) {
            sentence = unlicensed(channel);
        } else if (finding instanceof Finding.DestroyedPack destroyed) {
            sentence = describe(destroyed.trigger()) + " after it was " + describe(destroyed.destroy()) + ": a destroyed pack back in the supply chain";
        } else if (finding instanceof Finding.ExpiredPack expired) {
            sentence = expired(expired);
        } else if (finding instanceof Finding.RecalledPack recalled) {
            sentence = recalled(recalled);
        } else {
            sentence = resale((Finding.PostDispenseResale) finding);
        }
        return sentence.length() <= MAX_CHARS ? sentence : sentence.substring(0, MAX_CHARS - 1) + "…";
    }

    private static String duplicateSale(Finding.DuplicateSale dup) {
        ScanEvent first = dup.evidence().isEmpty() ? null : dup.evidence().get(0);
        StringBuilder sentence = new StringBuilder(describe(dup.trigger()));
        if (dup.packSize() != null) {
            sentence.append(" brings the pack to ").append(dup.consumedUnits()).append(" of ").append(dup.packSize()).append(" units consumed");
        } else {
            sentence.append(" is consumption ").append(dup.consumptions()).append(" of an indivisible pack");
        }
        if (dup.parties().size() > 1) {
            List<String> parties = dup.parties();
            sentence.append(" by ").append(parties.size()).append(" parties (")
                    .append(String.join(", ", parties.subList(0, Math.min(parties.size(), MAX_PARTIES_NAMED))));
            if (parties.size() > MAX_PARTIES_NAMED) {
                sentence.append(" and ").append(parties.size() - MAX_PARTIES_NAMED).append(" more");
            }
            sentence.append(')');
        }
        if (first != null) {
            sentence.append(", after it was ").append(describe(first));
        }
        if (dup.cause() != null) {
            sentence.append("; cause: ").append(cause(dup.cause()));
        }
        return sentence.toString();
    }

    /** A duplicate sale's cause, in words for the desk it goes to (lifecycle.md). */
    static String cause(DuplicateCause cause) {
        return switch (cause) {
            case CODE_COLLISION -> "one code printed on several packs, a coding error for the manufacturer";
            case RESALE -> "the pack was bought back after dispensing and resold";
            case SAME_PARTY -> "one institution consumed the pack more than it holds (repeated swiping)";
            case CLONED_CODE -> "consumed at parties the supply chain does not connect, a copied code";
        };
    }

    private static String expired(Finding.ExpiredPack expired) {
        String sentence = describe(expired.trigger()) + " after the pack's expiry date " + expired.expiryDate();
        return expired.expiryCarrier() == expired.trigger() ? sentence : sentence + " (as " + describe(expired.expiryCarrier()) + ")";
    }

    private static String recalled(Finding.RecalledPack recalled) {
        var recall = recalled.recall();
        return describe(recalled.trigger()) + " while product " + recalled.product()
                + (recalled.batch() == null ? "" : " batch " + recalled.batch())
                + " is under recall " + recall.getRecallId() + " (level " + recall.getLevel() + ")";
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
            double hours = hours(route);
            sentence.append(route.custodyBroken() ? ", and " : ", ")
                    .append(String.format(Locale.ROOT, "%s km from where it was %s, farther than the %s km reachable in %.1f h",
                            kilometres(route.distanceKm()), describe(previous), kilometres(route.reachableKm()), hours));
        }
        return sentence.toString();
    }

    private static String resale(Finding.PostDispenseResale resale) {
        return describe(resale.trigger()) + " after it was " + describe(consumed(resale.evidence())) + ": back in the supply chain after reaching a patient";
    }

    /** The dispensing or settlement that brought a resold pack to a patient: the latest in the evidence. */
    static ScanEvent consumed(List<ScanEvent> evidence) {
        for (int i = evidence.size() - 1; i >= 0; i--) {
            EventType type = evidence.get(i).getEventType();
            if (type == EventType.DISPENSE || type == EventType.SETTLE) {
                return evidence.get(i);
            }
        }
        return evidence.get(evidence.size() - 1);
    }

    /** Hours between a route's previous located scan and its trigger. */
    static double hours(Finding.ImpossibleRoute route) {
        return (Times.epochMicros(route.trigger().getEventTime()) - Times.epochMicros(route.previousLocated().getEventTime())) / 3.6e9;
    }

    private static String unlicensed(Finding.UnlicensedChannel channel) {
        String party = channel.party();
        var version = channel.version();
        String named = version != null && version.getName() != null ? party + " (" + version.getName() + ")" : party;
        String why = switch (channel.why()) {
            case NOT_REGISTERED -> named + " is not in the register";
            case SUSPENDED -> named + " is SUSPENDED in the register";
            case REVOKED -> named + " is REVOKED in the register";
            case EXPIRED -> named + "'s licence" + licence(version) + " expired on " + version.getLicenceValidTo();
            case NOT_YET_VALID -> named + "'s licence" + licence(version) + " is not valid until " + version.getLicenceValidFrom();
        };
        String role = channel.counterparty()
                ? (channel.trigger().getEventType() == EventType.RECEIVE ? ", bought from an illegal channel: " : ", sold to an illegal channel: ")
                : ": ";
        return describe(channel.trigger()) + role + why;
    }

    private static String licence(io.tracewatch.model.PartyRecord version) {
        return version.getLicenceNo() == null ? "" : " " + version.getLicenceNo();
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
        Integer quantity = e.getQuantity();
        return quantity == null ? "" : " (" + quantity + (quantity == 1 ? " unit)" : " units)");
    }

    /** Whole kilometres, but one decimal under 100 km, where rounding could make both sides of a comparison equal. */
    static String kilometres(double km) {
        return km < 100 ? String.format(Locale.ROOT, "%.1f", km) : String.format(Locale.ROOT, "%.0f", km);
    }
}
