package io.tracewatch.alert;

import io.tracewatch.config.DetectionConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.Rule;
import io.tracewatch.rules.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Turns findings into alerts per the contract: id, rule version, severity, evidence, explanation. */
public final class AlertFactory {
    private final Map<RuleId, String> versions = new EnumMap<>(RuleId.class);
    private final DetectionConfig.SeverityConfig severity;

    public AlertFactory(List<Rule> rules, DetectionConfig.SeverityConfig severity) {
        for (Rule rule : rules) {
            versions.put(rule.id(), rule.version());
        }
        this.severity = severity;
    }

    public Alert raised(Finding finding, Instant detectedAt) {
        List<ScanEvent> evidence = new ArrayList<>(finding.evidence().size() + 1);
        for (ScanEvent event : finding.evidence()) {
            evidence.add(withoutPersonalData(event));
        }
        evidence.add(withoutPersonalData(finding.trigger()));
        return builder(finding.rule(), finding.trigger(), detectedAt)
                .setProductCode(latestKnown(evidence, ScanEvent::getProductCode))
                .setBatch(latestKnown(evidence, ScanEvent::getBatch))
                .setStatus(AlertStatus.RAISED)
                .setEvidence(evidence)
                .setExplanation(Explanations.of(finding))
                .build();
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
                .setRegion(trigger.getRegion());
    }

    /** The trigger's value, or else the latest one the evidence knows (a settlement carries no batch). */
    private static String latestKnown(List<ScanEvent> evidence, java.util.function.Function<ScanEvent, String> field) {
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
