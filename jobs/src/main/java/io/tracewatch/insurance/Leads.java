package io.tracewatch.insurance;

import io.tracewatch.cases.CasePeriod;
import io.tracewatch.alert.AlertFactory;
import io.tracewatch.alert.AlertIds;
import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.SettledEvent;
import io.tracewatch.rules.Finding;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * Leads for insurance (三医协同, contract cases.md "Insurance leads and verification"): every
 * POST_DISPENSE_RESALE alert, and every DUPLICATE_SALE alert whose trigger or unreversed
 * consumptions hold a DISPENSE or SETTLE. A lead holds what an insurance investigator needs without
 * access to tracewatch.
 */
public final class Leads {
    /** Side output of the detector: leads as their alerts are raised and retracted. */
    public static final OutputTag<Lead> TAG = new OutputTag<>(SavepointNames.LEADS_TAG, new AvroTypeInfo<>(Lead.class));

    private Leads() {}

    /**
     * The lead a standing finding makes, or null when it is not one. Worked out on every judging:
     * a late upload can add a settlement to a finding that already stood, and the lead then follows.
     */
    public static Lead of(Finding finding, CasePeriod period, Instant now, String flaggedRegion) {
        List<ScanEvent> candidates;
        int consumptions;
        if (finding instanceof Finding.DuplicateSale dup) {
            candidates = new ArrayList<>(finding.evidence());
            candidates.add(finding.trigger());
            consumptions = dup.consumptions();
        } else if (finding instanceof Finding.PostDispenseResale resale) {
            // only the consumptions that make it fire: the evidence, not the trigger
            candidates = resale.evidence();
            consumptions = resale.consumptions();
        } else {
            return null;
        }
        List<SettledEvent> settled = new ArrayList<>();
        for (ScanEvent event : candidates) {
            if (event.getEventType() == EventType.DISPENSE || event.getEventType() == EventType.SETTLE) {
                settled.add(SettledEvent.newBuilder()
                        .setPartyId(event.getPartyId())
                        .setEventType(event.getEventType())
                        .setEventTime(event.getEventTime())
                        .setTransactionId(event.getTransactionId())
                        .build());
            }
        }
        if (settled.isEmpty()) {
            return null;
        }
        ScanEvent trigger = finding.trigger();
        return builder(finding.rule().name(), trigger, period, now)
                .setStatus(AlertStatus.RAISED)
                .setCause(finding instanceof Finding.DuplicateSale duplicate ? duplicate.cause().name() : null)
                .setFlaggedRegion(flaggedRegion)
                .setProductCode(AlertFactory.latestKnown(candidates, ScanEvent::getProductCode))
                .setSettled(settled)
                .setConsumptions(consumptions)
                .build();
    }

    /** The withdrawal of a lead: its alert was retracted, or its finding no longer involves a settlement. */
    public static Lead retracted(String rule, ScanEvent trigger, CasePeriod period, Instant now) {
        return builder(rule, trigger, period, now)
                .setStatus(AlertStatus.RETRACTED)
                .setProductCode(trigger.getProductCode())
                .setSettled(List.of())
                .setConsumptions(0)
                .build();
    }

    private static Lead.Builder builder(String rule, ScanEvent trigger, CasePeriod period, Instant now) {
        return Lead.newBuilder()
                .setLeadId(AlertIds.of(rule, trigger.getCode(), trigger.getEventId()))
                .setRule(rule)
                .setCode(trigger.getCode())
                .setTriggerEventId(trigger.getEventId())
                .setFlaggedPartyId(trigger.getPartyId())
                .setFlaggedRegion(trigger.getRegion())
                .setFlaggedAt(trigger.getEventTime())
                .setCaseId(CaseIds.of(trigger.getPartyId(), period.of(trigger.getEventTime())))
                .setDetectedAt(now);
    }

    /** What a lead says, as a short fingerprint: a lead is written again only when it changes. */
    public static String fingerprint(Lead lead) {
        long hash = mix(0xcbf29ce484222325L ^ lead.getConsumptions(), lead.getCause() == null ? "" : lead.getCause());
        for (SettledEvent event : lead.getSettled()) {
            hash = mix(hash, event.getPartyId() + '\0' + event.getEventType() + '\0' + event.getEventTime() + '\0' + event.getTransactionId());
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** FNV-1a over the text's characters. */
    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }
}
