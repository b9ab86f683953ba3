package io.tracewatch.cases;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.settings.Checks;
import java.io.Serializable;

/**
 * Cases (contract cases.md): how alerts are grouped into risk items, how often a changed case is
 * written, and how a party is graded.
 *
 * @param period month, week or day of the trigger's event_time in China Standard Time
 * @param emitIntervalMs a changed case is written at most once per this interval (streaming)
 * @param maxRecordBytes most bytes of a case record as JSON: beyond, it lists fewer alerts
 */
public record CasesSettings(CasePeriod period, long emitIntervalMs, int maxRecordBytes, GradeSettings grade) implements Serializable {
    /** Room for a case's counts, parties and handling with a few alerts listed. */
    static final int MIN_RECORD_BYTES = 65_536;

    /**
     * The grading policy (信用+风险 分级), from a party's standing alerts and handled cases; alerts of
     * cases closed FALSE_ALARM do not count. Windows end at the party's latest trigger.
     *
     * @param dConfirmedCases cases closed CONFIRMED in 365 days that make grade D
     * @param dAlerts90Days standing alerts in 90 days that make grade D
     * @param cConfirmedCases cases closed CONFIRMED in 365 days that make grade C
     * @param cAlerts90Days standing alerts in 90 days that make grade C
     */
    public record GradeSettings(
            int dConfirmedCases,
            @JsonProperty("d_alerts_90_days") int dAlerts90Days,
            int cConfirmedCases,
            @JsonProperty("c_alerts_90_days") int cAlerts90Days)
            implements Serializable {
        public void validate() {
            Checks.atLeast(cConfirmedCases, 1, "cases.grade.c_confirmed_cases");
            Checks.atLeast(dConfirmedCases, cConfirmedCases, "cases.grade.d_confirmed_cases");
            Checks.atLeast(cAlerts90Days, 1, "cases.grade.c_alerts_90_days");
            Checks.atLeast(dAlerts90Days, cAlerts90Days, "cases.grade.d_alerts_90_days");
        }
    }

    public void validate() {
        Checks.present(period, "cases.period");
        Checks.atLeast(emitIntervalMs, 0, "cases.emit_interval_ms");
        Checks.atLeast(maxRecordBytes, MIN_RECORD_BYTES, "cases.max_record_bytes");
        Checks.present(grade, "cases.grade");
        grade.validate();
    }
}
