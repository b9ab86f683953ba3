package io.tracewatch.alert;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.Rule;
import io.tracewatch.rules.RuleId;
import io.tracewatch.rules.RuleSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Turns findings into alerts per the contract: id, rule version, severity, evidence, explanation. */
public final class AlertFactory {
    /** A region that the upload claimed: until a register says where a party is, that is all there is. */
    public static final String REGION_FROM_UPLOAD = "upload";
    /** A region from the party register's applicable version (contract reference-data.md, "Trusted region"). */
    public static final String REGION_FROM_REGISTER = "register";


    /** The severity of a withdrawn RECALLED_PACK alert when the settings give none: the middle recall level's. */
    private static final Severity RETRACTED_RECALL_SEVERITY = Severity.HIGH;

    private final Map<RuleId, Rule> rules = new EnumMap<>(RuleId.class);
    private final int maxAlertBytes;

    public AlertFactory(List<Rule> rules, int maxAlertBytes) {
        for (Rule rule : rules) {
            this.rules.put(rule.id(), rule);
        }
        this.maxAlertBytes = maxAlertBytes;
    }

    /**
     * Where a trigger happened as an alert says it: the register's region of its party when the
     * register has an applicable version, else what the upload said.
     *
     * @return {region, region_source}, both null when neither knows
     */
    public static String[] regionOf(ScanEvent trigger, Reference reference) {
        if (reference.hasRegister()) {
            PartyRecord version = reference.party(trigger.getPartyId(), trigger.getEventTime());
            if (version != null) {
                return new String[] {version.getRegion(), REGION_FROM_REGISTER};
            }
        }
        return trigger.getRegion() == null ? new String[] {null, null} : new String[] {trigger.getRegion(), REGION_FROM_UPLOAD};
    }

    /**
     * @param lateBeyondSeal whether the trigger reached its code after the code was sealed with a
     *     newer event (contract v1.2, "Years of codes")
     */
    public Alert raised(Finding finding, boolean lateBeyondSeal, Instant detectedAt, Reference reference) {
        List<ScanEvent> evidence = new ArrayList<>(finding.evidence().size() + 1);
        for (ScanEvent event : finding.evidence()) {
            evidence.add(withoutPersonalData(event));
        }
        evidence.add(withoutPersonalData(finding.trigger()));
        Alert.Builder alert = builder(finding.rule(), finding.trigger(), detectedAt, reference)
                .setProductCode(latestKnown(evidence, ScanEvent::getProductCode))
                .setBatch(latestKnown(evidence, ScanEvent::getBatch))
                .setStatus(AlertStatus.RAISED)
                .setEvidence(evidence)
                .setExplanation(Explanations.of(finding))
                .setExplanationZh(ChineseExplanations.of(finding))
                .setLateBeyondSeal(lateBeyondSeal);
        if (finding instanceof Finding.DuplicateSale duplicate) {
            alert.setCause(duplicate.cause().name());
        }
        if (finding instanceof Finding.RecalledPack recalled) {
            alert.setRecallId(recalled.recall().getRecallId());
            if (reference.settings(finding.trigger().getEventTime()).severityOf(RuleId.RECALLED_PACK) == null) {
                alert.setSeverity(recallSeverity(recalled.recall().getLevel()));
            }
        }
        return withinSizeLimit(alert.build());
    }

    /** A recall's level as a severity (lifecycle.md): 1 CRITICAL, 2 HIGH, 3 MEDIUM. */
    static Severity recallSeverity(int level) {
        return switch (level) {
            case 1 -> Severity.CRITICAL;
            case 2 -> Severity.HIGH;
            default -> Severity.MEDIUM;
        };
    }

    /**
     * Keeps an alert within {@code detection.max_alert_bytes} whatever the uploads held: the
     * earliest evidence events that fit, then the trigger, which is always kept; the number left out
     * is in {@code evidence_omitted}. Fields of an event are bounded at ingest (contract v1.1), so
     * the trigger always fits.
     */
    private Alert withinSizeLimit(Alert alert) {
        if (RecordJson.bytesAtMost(alert) <= maxAlertBytes) {
            // almost every alert: no need to write it out to know that it fits
            return alert;
        }
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
    public Alert retracted(RuleId rule, ScanEvent trigger, ScanEvent cause, Instant detectedAt, Reference reference) {
        return builder(rule, trigger, detectedAt, reference)
                .setStatus(AlertStatus.RETRACTED)
                .setEvidence(cause == null ? List.of() : List.of(withoutPersonalData(cause)))
                .setExplanation(Explanations.retraction(rule.name(), trigger.getEventId(), cause))
                .setExplanationZh(ChineseExplanations.retraction(rule, trigger.getEventId(), cause))
                .build();
    }

    private Alert.Builder builder(RuleId rule, ScanEvent trigger, Instant detectedAt, Reference reference) {
        RuleSettings settings = reference.settings(trigger.getEventTime());
        String[] region = regionOf(trigger, reference);
        return Alert.newBuilder()
                .setAlertId(AlertIds.of(rule.name(), trigger.getCode(), trigger.getEventId()))
                .setRule(rule.name())
                .setRuleVersion(settings.ruleVersion(rules.get(rule)))
                // a rule without a configured severity (RECALLED_PACK) takes its finding's; a retraction knows no recall
                .setSeverity(settings.severityOf(rule) != null ? settings.severityOf(rule) : RETRACTED_RECALL_SEVERITY)
                .setCode(trigger.getCode())
                .setProductCode(trigger.getProductCode())
                .setBatch(trigger.getBatch())
                .setTriggerEventId(trigger.getEventId())
                .setEventTime(trigger.getEventTime())
                .setEventTimeOffsetS(trigger.getEventTimeOffsetS())
                .setDetectedAt(detectedAt)
                .setPartyId(trigger.getPartyId())
                .setRegion(region[0])
                .setRegionSource(region[1]);
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
