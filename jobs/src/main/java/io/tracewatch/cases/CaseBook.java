package io.tracewatch.cases;

import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseActionEntry;
import io.tracewatch.model.CaseAlert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.RelatedParty;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import io.tracewatch.model.Supplier;
import io.tracewatch.model.internal.CaseMember;
import io.tracewatch.model.internal.CaseState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * One case's membership and handling, as the contract (cases.md) fixes them; pure, no Flink. A
 * case's alerts are its standing alerts; the record is derived from them, so the final case set
 * depends only on the alerts, never on the order they arrived in.
 */
public final class CaseBook {
    /** Most alerts a case record lists; the rest are counted. */
    public static final int MAX_LISTED_ALERTS = 10_000;
    /** The actor of what tracewatch itself does to a case. */
    public static final String SYSTEM_ACTOR = "tracewatch";

    private static final Comparator<Map.Entry<String, CaseMember>> TRIGGER_ORDER =
            Comparator.<Map.Entry<String, CaseMember>>comparingLong(e -> micros(e.getValue().getEventTime()))
                    .thenComparing(Map.Entry::getKey);

    private CaseBook() {}

    public static CaseState newCase(String period) {
        return CaseState.newBuilder()
                .setPeriod(period)
                .setStatus(CaseStatus.OPEN)
                .setMembers(new HashMap<>())
                .setActions(new ArrayList<>())
                .build();
    }

    /** A case's standing alerts by alert_id, wherever they are kept: the keyed state keeps one entry per alert. */
    public interface Members {
        /** The member of this alert_id, or null. */
        CaseMember get(String alertId);

        void add(String alertId, CaseMember member);

        void remove(String alertId);

        /** The members of the case's own map, as the tests and a replay's reading use them. */
        static Members of(Map<String, CaseMember> map) {
            return new Members() {
                @Override
                public CaseMember get(String alertId) {
                    return map.get(alertId);
                }

                @Override
                public void add(String alertId, CaseMember member) {
                    map.put(alertId, member);
                }

                @Override
                public void remove(String alertId) {
                    map.remove(alertId);
                }
            };
        }
    }

    /** As {@link #apply(CaseState, Members, Alert, String, Instant)}, on the members held in the case itself. */
    public static boolean apply(CaseState state, Alert alert, String caseParty, Instant now) {
        return apply(state, Members.of(state.getMembers()), alert, caseParty, now);
    }

    /**
     * Applies one alert record: a RAISED alert joins, a RETRACTED one leaves. A new alert on a
     * CLOSED case reopens it (an outcome is never applied to evidence it did not see); the last
     * alert leaving withdraws the case. Costs the same however many alerts the case holds.
     *
     * @return whether the case changed
     */
    public static boolean apply(CaseState state, Members members, Alert alert, String caseParty, Instant now) {
        if (alert.getStatus() == AlertStatus.RETRACTED) {
            if (members.get(alert.getAlertId()) == null) {
                return false;
            }
            members.remove(alert.getAlertId());
            state.setMemberCount(state.getMemberCount() - 1);
            if (state.getMemberCount() == 0) {
                state.setStatus(CaseStatus.WITHDRAWN);
            }
            return true;
        }
        CaseMember held = members.get(alert.getAlertId());
        if (held != null) {
            // a standing alert sent again because what it says changed (its evidence, a duplicate sale's cause)
            CaseMember updated = member(alert, caseParty);
            if (held.equals(updated)) {
                return false;
            }
            members.add(alert.getAlertId(), updated);
            return true;
        }
        members.add(alert.getAlertId(), member(alert, caseParty));
        state.setMemberCount(state.getMemberCount() + 1);
        if (state.getStatus() == CaseStatus.CLOSED) {
            state.setStatus(CaseStatus.OPEN);
            state.setDisposition(null);
            state.getActions().add(CaseActionEntry.newBuilder()
                    .setAction("NEW_ALERT")
                    .setStatus(CaseStatus.OPEN)
                    .setNote("alert " + alert.getAlertId() + " (" + alert.getRule() + " on " + alert.getCode() + ") after the case was closed")
                    .setActor(SYSTEM_ACTOR)
                    .setAt(now)
                    .build());
        } else if (state.getStatus() == CaseStatus.WITHDRAWN) {
            state.setStatus(CaseStatus.OPEN);
        }
        return true;
    }

    /** Why an action may not be applied to a case in this status, or null when it may (contract cases.md, "Handling"). */
    public static String refusal(CaseStatus status, CaseAction action) {
        return switch (action.getAction()) {
            case "INVESTIGATE" -> status == CaseStatus.OPEN ? null : "INVESTIGATE needs an OPEN case; this one is " + status;
            case "CLOSE" -> {
                if (status != CaseStatus.OPEN && status != CaseStatus.INVESTIGATING) {
                    yield "CLOSE needs an OPEN or INVESTIGATING case; this one is " + status;
                }
                yield action.getDisposition() == null ? "CLOSE needs a disposition (CONFIRMED, FALSE_ALARM, PROCEDURAL_ERROR or REFERRED)" : null;
            }
            case "REOPEN" -> status == CaseStatus.CLOSED ? null : "REOPEN needs a CLOSED case; this one is " + status;
            default -> "unknown action " + action.getAction() + ": expected INVESTIGATE, CLOSE or REOPEN";
        };
    }

    /**
     * Applies a handling action: it changes the status and is appended to the history, or it is
     * refused with the reason and changes nothing.
     *
     * @return null when applied, else why not
     */
    public static String apply(CaseState state, CaseAction action) {
        String refusal = refusal(state.getStatus(), action);
        if (refusal != null) {
            return refusal;
        }
        CaseStatus next = switch (action.getAction()) {
            case "INVESTIGATE" -> CaseStatus.INVESTIGATING;
            case "CLOSE" -> CaseStatus.CLOSED;
            default -> CaseStatus.OPEN;
        };
        state.setStatus(next);
        state.setDisposition(next == CaseStatus.CLOSED ? action.getDisposition() : null);
        state.getActions().add(CaseActionEntry.newBuilder()
                .setAction(action.getAction())
                .setStatus(next)
                .setDisposition(state.getDisposition())
                .setNote(action.getNote())
                .setActor(action.getActor())
                .setAt(action.getAt())
                .build());
        return null;
    }

    /**
     * The record as written: listing as many of its alerts, first ones first, as fit in
     * {@code maxBytes} as {@code encodedBytes} measures it, with alerts_truncated set when some are
     * left out. Counts, rules and parties stay whole.
     */
    public static CaseRecord withinBytes(CaseRecord record, int maxBytes, ToIntFunction<CaseRecord> encodedBytes) {
        if (record.getAlerts().isEmpty() || encodedBytes.applyAsInt(record) <= maxBytes) {
            return record;
        }
        List<CaseAlert> alerts = record.getAlerts();
        int fits = 0;
        int fitsNot = alerts.size();
        while (fitsNot - fits > 1) {
            int listed = (fits + fitsNot) >>> 1;
            record.setAlerts(alerts.subList(0, listed));
            if (encodedBytes.applyAsInt(record) <= maxBytes) {
                fits = listed;
            } else {
                fitsNot = listed;
            }
        }
        record.setAlerts(new ArrayList<>(alerts.subList(0, fits)));
        record.setAlertsTruncated(true);
        return record;
    }

    /** The case record of a case's current state (contract cases.md, "Case record"). */
    public static CaseRecord record(String party, CaseState state, PartyGrade.Grade grade, Instant now) {
        List<Map.Entry<String, CaseMember>> members = new ArrayList<>(state.getMembers().entrySet());
        members.sort(TRIGGER_ORDER);
        Map<String, Integer> rules = new TreeMap<>();
        Set<String> codes = new LinkedHashSet<>();
        Map<String, Integer> related = new HashMap<>();
        Set<String> regions = new java.util.TreeSet<>();
        Map<String, Set<String>> upstream = new HashMap<>();
        Severity severity = null;
        List<CaseAlert> alerts = new ArrayList<>(Math.min(members.size(), MAX_LISTED_ALERTS));
        CaseMember latest = null;
        String region = null;
        String regionSource = null;
        for (Map.Entry<String, CaseMember> entry : members) {
            CaseMember member = entry.getValue();
            rules.merge(member.getRule(), 1, Integer::sum);
            regions.addAll(member.getRegions());
            codes.add(member.getCode());
            for (String other : member.getRelated()) {
                related.merge(other, 1, Integer::sum);
            }
            for (String supplier : member.getUpstream()) {
                upstream.computeIfAbsent(supplier, s -> new LinkedHashSet<>()).add(member.getCode());
            }
            if (severity == null || member.getSeverity().compareTo(severity) > 0) {
                severity = member.getSeverity();
            }
            if (alerts.size() < MAX_LISTED_ALERTS) {
                alerts.add(CaseAlert.newBuilder()
                        .setAlertId(entry.getKey())
                        .setRule(member.getRule())
                        .setCode(member.getCode())
                        .setTriggerEventId(member.getTriggerEventId())
                        .setEventTime(member.getEventTime())
                        .setSeverity(member.getSeverity())
                        .setCause(member.getCause())
                        .build());
            }
            latest = member;
            if (member.getRegion() != null) {
                region = member.getRegion();
                regionSource = member.getRegionSource();
            }
        }
        List<RelatedParty> relatedParties = new ArrayList<>();
        related.forEach((id, count) -> relatedParties.add(new RelatedParty(id, count)));
        relatedParties.sort(Comparator.comparingInt(RelatedParty::getAlerts).reversed().thenComparing(RelatedParty::getPartyId));
        List<Supplier> suppliers = new ArrayList<>();
        upstream.forEach((id, supplied) -> suppliers.add(new Supplier(id, supplied.size())));
        suppliers.sort(Comparator.comparingInt(Supplier::getCodes).reversed().thenComparing(Supplier::getPartyId));
        return CaseRecord.newBuilder()
                .setCaseId(CaseIds.of(party, state.getPeriod()))
                .setVersion(state.getVersion())
                .setStatus(state.getStatus())
                .setDisposition(state.getDisposition())
                .setPartyId(party)
                .setPartyType(latest == null ? null : latest.getPartyType())
                .setRegion(region)
                .setRegionSource(regionSource)
                .setRegions(new ArrayList<>(regions))
                .setPeriod(state.getPeriod())
                .setSeverity(severity)
                .setAlertCount(members.size())
                .setCodeCount(codes.size())
                .setRules(new HashMap<>(rules))
                .setAlerts(alerts)
                .setAlertsTruncated(members.size() > MAX_LISTED_ALERTS)
                .setFirstEventTime(members.isEmpty() ? null : members.get(0).getValue().getEventTime())
                .setLastEventTime(latest == null ? null : latest.getEventTime())
                .setRelatedParties(relatedParties)
                .setUpstream(suppliers)
                .setActions(new ArrayList<>(state.getActions()))
                .setUpdatedAt(now)
                .setGrade(grade == null ? null : grade.letter())
                .setGradeReason(grade == null ? null : grade.reason())
                .setGradeReasonZh(grade == null ? null : grade.reasonZh())
                .build();
    }

    /** What a case keeps of one alert: enough to list it, count it, and say who else it names. */
    static CaseMember member(Alert alert, String caseParty) {
        Set<String> related = new LinkedHashSet<>();
        Set<String> upstream = new LinkedHashSet<>();
        Set<String> regions = new LinkedHashSet<>();
        if (alert.getRegion() != null) {
            regions.add(alert.getRegion());
        }
        ScanEvent trigger = null;
        for (ScanEvent event : alert.getEvidence()) {
            if (event.getRegion() != null) {
                regions.add(event.getRegion());
            }
            if (!event.getPartyId().equals(caseParty)) {
                related.add(event.getPartyId());
            }
            String counterparty = event.getCounterpartyId();
            if (counterparty != null && !counterparty.equals(caseParty)) {
                related.add(counterparty);
            }
            if (event.getEventType() == EventType.RECEIVE && event.getPartyId().equals(caseParty) && counterparty != null
                    && !counterparty.equals(caseParty)) {
                upstream.add(counterparty);
            }
            if (event.getEventId().equals(alert.getTriggerEventId())) {
                trigger = event;
            }
        }
        return CaseMember.newBuilder()
                .setRule(alert.getRule())
                .setCode(alert.getCode())
                .setTriggerEventId(alert.getTriggerEventId())
                .setEventTime(alert.getEventTime())
                .setSeverity(alert.getSeverity())
                .setPartyType(trigger == null ? null : trigger.getPartyType())
                .setRegion(alert.getRegion())
                .setRegionSource(alert.getRegion() == null ? null : alert.getRegionSource())
                .setRegions(new ArrayList<>(regions))
                .setRelated(new ArrayList<>(related))
                .setUpstream(new ArrayList<>(upstream))
                .setCause(alert.getCause())
                .build();
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
