package io.tracewatch.detect;

import io.tracewatch.model.Severity;
import io.tracewatch.rules.RuleId;
import io.tracewatch.rules.RuleSettings;
import io.tracewatch.settings.Checks;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.io.Serializable;
import java.time.Duration;

/** Thresholds of the detector and its rules. */
public record DetectionConfig(
        long orderingDelayMs,
        long maxJudgeDelayMs,
        long maxFutureSkewMs,
        double maxSpeedKmh,
        double locationSlackKm,
        int maxEventsPerCode,
        int retentionAfterLastEventDays,
        int retentionAfterExpiryDays,
        int sealAfterDays,
        int maxAlertBytes,
        int miniBatchMaxScans,
        SeverityConfig severity)
        implements Serializable {

    /** An alert of this size holds its trigger and every fixed field whatever the input held. */
    static final int MIN_ALERT_BYTES = 65536;

    /**
     * The severity alerts of each rule carry. RECALLED_PACK's, when set, replaces the severity its
     * recall's level gives (lifecycle.md); left empty, the level decides.
     */
    public record SeverityConfig(Severity duplicateSale, Severity impossibleRoute, Severity postDispenseResale, Severity unlicensedChannel,
            Severity destroyedPack, Severity expiredPack, Severity recalledPack)
            implements Serializable {
        public Severity of(RuleId rule) {
            return switch (rule) {
                case DUPLICATE_SALE -> duplicateSale;
                case IMPOSSIBLE_ROUTE -> impossibleRoute;
                case POST_DISPENSE_RESALE -> postDispenseResale;
                case UNLICENSED_CHANNEL -> unlicensedChannel;
                case DESTROYED_PACK -> destroyedPack;
                case EXPIRED_PACK -> expiredPack;
                case RECALLED_PACK -> recalledPack;
            };
        }
    }

    /** The settings every event is judged with until a settings version says otherwise: all rules on. */
    public RuleSettings ruleSettings() {
        Map<RuleId, Severity> levels = new EnumMap<>(RuleId.class);
        for (RuleId rule : RuleId.values()) {
            if (severity.of(rule) != null) {
                levels.put(rule, severity.of(rule));
            }
        }
        return new RuleSettings(null, maxSpeedKmh, locationSlackKm, levels, EnumSet.allOf(RuleId.class));
    }

    public Duration orderingDelay() {
        return Duration.ofMillis(orderingDelayMs);
    }

    public void validate() {
        Checks.atLeast(orderingDelayMs, 0, "detection.ordering_delay_ms");
        Checks.atLeast(maxJudgeDelayMs, 1, "detection.max_judge_delay_ms");
        Checks.atLeast(maxFutureSkewMs, 0, "detection.max_future_skew_ms");
        Checks.positive(maxSpeedKmh, "detection.max_speed_kmh");
        Checks.atLeast(locationSlackKm, 0, "detection.location_slack_km");
        Checks.atLeast(maxEventsPerCode, 2, "detection.max_events_per_code");
        Checks.atLeast(retentionAfterLastEventDays, 1, "detection.retention_after_last_event_days");
        Checks.atLeast(retentionAfterExpiryDays, 0, "detection.retention_after_expiry_days");
        Checks.atLeast(sealAfterDays, 0, "detection.seal_after_days");
        Checks.atLeast(maxAlertBytes, MIN_ALERT_BYTES, "detection.max_alert_bytes");
        Checks.atLeast(miniBatchMaxScans, 0, "detection.mini_batch_max_scans");
        Checks.present(severity, "detection.severity");
        for (RuleId rule : RuleId.values()) {
            if (rule != RuleId.RECALLED_PACK) {
                Checks.present(severity.of(rule), "detection.severity." + rule.name().toLowerCase());
            }
        }
    }
}
