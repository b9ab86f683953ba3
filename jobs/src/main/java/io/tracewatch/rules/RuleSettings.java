package io.tracewatch.rules;

import io.tracewatch.model.Severity;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The rule settings that apply to an event (contract reference-data.md, "Rule settings record"):
 * travel thresholds, severities, the rules enabled, and which settings version they come from.
 *
 * @param version the settings_id of the version that applies, or null for the configuration file's
 */
public record RuleSettings(String version, double maxSpeedKmh, double locationSlackKm, Map<RuleId, Severity> severity, Set<RuleId> enabled)
        implements Serializable {

    public RuleSettings {
        severity = new EnumMap<>(severity);
        enabled = enabled.isEmpty() ? EnumSet.noneOf(RuleId.class) : EnumSet.copyOf(enabled);
    }

    public Severity severityOf(RuleId rule) {
        return severity.get(rule);
    }

    public boolean enabled(RuleId rule) {
        return enabled.contains(rule);
    }

    /** The rule_version an alert carries: the rule's logic, and the settings version it was judged with. */
    public String ruleVersion(Rule rule) {
        String logic = rule.id() == RuleId.IMPOSSIBLE_ROUTE
                ? rule.version() + ";max_speed_kmh=" + plain(maxSpeedKmh) + ";location_slack_km=" + plain(locationSlackKm)
                : rule.version();
        return version == null ? logic : logic + "@" + version;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
