package io.tracewatch.alert;

import io.tracewatch.config.DetectionConfig;
import io.tracewatch.io.AlertJson;
import io.tracewatch.io.ScanEventJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.Rule;
import io.tracewatch.rules.RuleId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Turns findings into alerts per the contract: id, rule version, severity, evidence, explanation. */
public final class AlertFactory {
    private final Map<RuleId, String> versions = new EnumMap<>(RuleId.class);
    /** Until a party register says where a party is, a region is what the upload claimed (contract reference-data.md). */
    public static final String REGION_FROM_UPLOAD = "upload";

    private final DetectionConfig.SeverityConfig severity;
    private final int maxAlertBytes;

    public AlertFactory(List<Rule> rules, DetectionConfig.SeverityConfig severity, int maxAlertBytes) {
        for (Rule rule : rules) {
            versions.put(rule.id(), rule.version());
        }
        this.severity = severity;
        this.maxAlertBytes = maxAlertBytes;
    }

    public Alert raised(Finding finding, Instant detectedAt) {
        List<ScanEvent> evidence = new ArrayList<>(finding.evidence().size() + 1);
        for (ScanEvent event : finding.evidence()) {
            evidence.add(withoutPersonalData(event));
        }
        evidence.add(withoutPersonalData(finding.trigger()));
        return withinSizeLimit(builder(finding.rule(), finding.trigger(), detectedAt)
                .setProductCode(latestKnown(evidence, ScanEvent::getProductCode))
                .setBatch(latestKnown(evidence, ScanEvent::getBatch))
                .setStatus(AlertStatus.RAISED)
                .setEvidence(evidence)
                .setExplanation(Explanations.of(finding))
                .build());
    }

    /**
     * Keeps an alert within {@code detection.max_alert_bytes} whatever the uploads held: the
     * earliest evidence events that fit, then the trigger, which is always kept; the number left out
     * is in {@code evidence_omitted}. Fields of an event are bounded at ingest (contract v1.1), so
     * the trigger always fits.
     */
    private Alert withinSizeLimit(Alert alert) {
        int size = AlertJson.encode(alert).getBytes(StandardCharsets.UTF_8).length;
        if (size <= maxAlertBytes) {
            return alert;
        }
        List<ScanEvent> evidence = alert.getEvidence();
        int[] sizes = new int[evidence.size()];
        long evidenceBytes = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = ScanEventJson.encode(evidence.get(i)).getBytes(StandardCharsets.UTF_8).length + 1;
            evidenceBytes += sizes[i];
        }
        // room for the evidence_omitted field itself
        long budget = maxAlertBytes - (size - evidenceBytes) - 32 - sizes[sizes.length - 1];
        List<ScanEvent> kept = new ArrayList<>();
        for (int i = 0; i < sizes.length - 1 && budget >= sizes[i]; i++) {
            kept.add(evidence.get(i));
            budget -= sizes[i];
        }
        kept.add(evidence.get(evidence.size() - 1));
        alert.setEvidenceOmitted(evidence.size() - kept.size());
        alert.setEvidence(kept);
        return alert;
    }

    /**
     * @param trigger the event the withdrawn alert was raised on
     * @param cause the late event whose merge withdrew it, or null
     */
    public Alert retracted(RuleId rule, ScanEvent trigger, ScanEvent cause, Instant detectedAt) {
        return builder(rule, trigger, detectedAt)
                .setStatus(AlertStatus.RETRACTED)
                .setEvidence(cause == null ? List.of() : List.of(withoutPersonalData(cause)))
                .setExplanation(Explanations.retraction(rule.name(), trigger.getEventId(), cause))
                .build();
    }

    private Alert.Builder builder(RuleId rule, ScanEvent trigger, Instant detectedAt) {
        return Alert.newBuilder()
                .setAlertId(AlertIds.of(rule.name(), trigger.getCode(), trigger.getEventId()))
                .setRule(rule.name())
                .setRuleVersion(versions.get(rule))
                .setSeverity(severity.of(rule))
                .setCode(trigger.getCode())
                .setProductCode(trigger.getProductCode())
                .setBatch(trigger.getBatch())
                .setTriggerEventId(trigger.getEventId())
                .setEventTime(trigger.getEventTime())
                .setEventTimeOffsetS(trigger.getEventTimeOffsetS())
                .setDetectedAt(detectedAt)
                .setPartyId(trigger.getPartyId())
                .setRegion(trigger.getRegion())
                .setRegionSource(trigger.getRegion() == null ? null : REGION_FROM_UPLOAD);
    }

    /** The trigger's value, or else the latest one the evidence knows (a settlement carries no batch). */
    public static String latestKnown(List<ScanEvent> evidence, java.util.function.Function<ScanEvent, String> field) {
        for (int i = evidence.size() - 1; i >= 0; i--) {
            String value = field.apply(evidence.get(i));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Alerts carry no patient_ref (contract, "Alert"). */
    private static ScanEvent withoutPersonalData(ScanEvent event) {
        if (event.getPatientRef() == null) {
            return event;
        }
        return ScanEvent.newBuilder(event).setPatientRef(null).build();
    }
}
