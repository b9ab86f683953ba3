package io.tracewatch.insurance;

import io.tracewatch.cases.CasePeriod;

import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.SettledEvent;
import io.tracewatch.rules.Finding;
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
    public static final OutputTag<Lead> TAG = new OutputTag<>("leads", new AvroTypeInfo<>(Lead.class));

    private Leads() {}

    /** The lead a raised alert makes, or null when its finding is not one. */
    public static Lead of(Finding finding, Alert alert, CasePeriod period) {
        List<ScanEvent> candidates = new ArrayList<>(finding.evidence());
        candidates.add(finding.trigger());
        int consumptions;
        if (finding instanceof Finding.DuplicateSale dup) {
            consumptions = dup.consumptions();
        } else if (finding instanceof Finding.PostDispenseResale resale) {
            // only the consumptions that make it fire: the evidence, not the trigger
            candidates = new ArrayList<>(resale.evidence());
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
        return Lead.newBuilder()
                .setLeadId(alert.getAlertId())
                .setStatus(AlertStatus.RAISED)
                .setRule(alert.getRule())
                .setCode(alert.getCode())
                .setProductCode(alert.getProductCode())
                .setTriggerEventId(trigger.getEventId())
                .setFlaggedPartyId(trigger.getPartyId())
                .setFlaggedRegion(alert.getRegion())
                .setFlaggedAt(trigger.getEventTime())
                .setSettled(settled)
                .setConsumptions(consumptions)
                .setCaseId(CasePeriod.caseId(trigger.getPartyId(), period.of(trigger.getEventTime())))
                .setDetectedAt(alert.getDetectedAt())
                .build();
    }

    /** The withdrawal of the lead a retracted alert had made. */
    public static Lead retracted(Alert retraction, CasePeriod period) {
        return Lead.newBuilder()
                .setLeadId(retraction.getAlertId())
                .setStatus(AlertStatus.RETRACTED)
                .setRule(retraction.getRule())
                .setCode(retraction.getCode())
                .setProductCode(retraction.getProductCode())
                .setTriggerEventId(retraction.getTriggerEventId())
                .setFlaggedPartyId(retraction.getPartyId())
                .setFlaggedRegion(retraction.getRegion())
                .setFlaggedAt(retraction.getEventTime())
                .setSettled(List.of())
                .setConsumptions(0)
                .setCaseId(CasePeriod.caseId(retraction.getPartyId(), period.of(retraction.getEventTime())))
                .setDetectedAt(retraction.getDetectedAt())
                .build();
    }
}
