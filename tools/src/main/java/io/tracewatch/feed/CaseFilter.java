package io.tracewatch.feed;

import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Severity;
import io.tracewatch.rules.DuplicateCause;
import io.tracewatch.rules.RuleId;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Which cases a person wants to see; every field is optional. By default WITHDRAWN cases, which
 * hold no standing alert, are left out.
 *
 * @param status OPEN, INVESTIGATING, CLOSED or WITHDRAWN; "open" for OPEN and INVESTIGATING
 * @param regionPrefix administrative division code or a prefix of one
 * @param rule cases with at least one standing alert of this rule
 * @param cause cases with at least one duplicate sale of this cause (among the alerts a case lists)
 * @param grade the party's grade, A to D
 */
public record CaseFilter(String status, String severity, String regionPrefix, String period, String rule, String cause, String grade,
        String party) {
    private static final Set<String> GRADES = Set.of("A", "B", "C", "D");

    public static CaseFilter from(Function<String, String> parameter) {
        String status = upper(parameter.apply("status"));
        if (status != null && !status.equals("OPEN_ALL") && !FeedServer.statuses().contains(status)) {
            throw new IllegalArgumentException("status must be one of " + FeedServer.statuses());
        }
        String severity = AlertFilter.choice(parameter.apply("severity"), "severity", Severity.class);
        String rule = AlertFilter.choice(parameter.apply("rule"), "rule", RuleId.class);
        String cause = AlertFilter.choice(parameter.apply("cause"), "cause", DuplicateCause.class);
        String grade = upper(parameter.apply("grade"));
        if (grade != null && !GRADES.contains(grade)) {
            throw new IllegalArgumentException("grade must be A, B, C or D");
        }
        return new CaseFilter(status, severity, blank(parameter.apply("region")), blank(parameter.apply("period")), rule, cause, grade,
                blank(parameter.apply("party")));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String upper(String value) {
        String text = blank(value);
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    public boolean matches(CaseRecord c) {
        boolean statusMatches = status == null
                ? c.getStatus() != CaseStatus.WITHDRAWN
                : status.equals("OPEN_ALL") ? CaseBoard.open(c) : status.equals(c.getStatus().name());
        return statusMatches
                && (severity == null || (c.getSeverity() != null && severity.equals(c.getSeverity().name())))
                && (regionPrefix == null || (c.getRegion() != null && c.getRegion().startsWith(regionPrefix)))
                && (period == null || period.equals(c.getPeriod()))
                && (rule == null || c.getRules().containsKey(rule))
                && (cause == null || c.getAlerts().stream().anyMatch(a -> cause.equals(a.getCause())))
                && (grade == null || grade.equals(c.getGrade()))
                && (party == null || party.equals(c.getPartyId()));
    }
}
